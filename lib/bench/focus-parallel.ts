/** The "many tables at once, and memory" part of `npm run bench` alone (BENCH_PARALLEL_ROWS, BENCH_RSS_ROWS). */
import "./quiet";
import os from "node:os";
import { startBenchDatabase } from "./database";
import { measureParallel, renderParallelSection } from "./parallel";

async function main() {
  const env = await startBenchDatabase();
  try {
    console.log(
      "load",
      os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" / "),
    );
    const p = await measureParallel(env, (m) => process.stderr.write(`bench: ${m}\n`));
    console.log(renderParallelSection(p));
  } finally {
    await env.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
