/**
 * A quick load check while working on the engine (not part of `npm run bench`): one own-database
 * first load and resync of BENCH_ROWS rows, each right after its pre-encoded baseline, as ratios.
 * `npx tsx lib/bench/focus-load.ts` (BENCH_EXTERNAL=1 adds the external warehouse).
 */
import "./quiet";
import os from "node:os";
import postgres from "postgres";
import { Worker } from "@/lib/engine/worker";
import { config } from "@/lib/runtime/config";
import { startBenchDatabase } from "./database";
import { makeSampleSync } from "./jobs";
import { engineRun, type Throughput, vacuumAsInUse } from "./load";
import { copyUpsertEncoded, encodeAll, rawCopyEncoded } from "./warehouse";

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const fmt = (t: Throughput) => `${Math.round(t.rowsPerSecond).toLocaleString("en-US")} rows/s`;
const pct = (a: Throughput, b: Throughput) => `${Math.round((a.rowsPerSecond / b.rowsPerSecond) * 100)} %`;

async function main() {
  const env = await startBenchDatabase();
  const worker = new Worker({ url: env.url });
  await worker.start();
  try {
    const load = os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" / ");
    const batch = config.batchSize();
    const table = { name: "focus_rows", rows: ROWS };
    const texts = encodeAll(table, 7, batch);
    const targets: [string, string | undefined][] = [["own", undefined]];
    if (process.env.BENCH_EXTERNAL) {
      await env.sql.unsafe(`create database focus_ext`);
      const u = new URL(env.url);
      u.pathname = "/focus_ext";
      targets.push(["external", u.toString()]);
    }
    for (const [label, wh] of targets) {
      const url = wh ?? env.url;
      const sync = await makeSampleSync(env.db, [table], 7, wh);
      const up = await copyUpsertEncoded(url, texts, ROWS);
      const first = await engineRun(env, sync.id, "normal", ROWS);
      const raw = await rawCopyEncoded(url, texts, ROWS);
      // As in `npm run bench`.
      const target = postgres(url, { max: 1, onnotice: () => {} });
      await vacuumAsInUse(target, sync.schema, table.name);
      await target.end();
      const resync = await engineRun(env, sync.id, "resync", ROWS);
      console.log(
        `${label}: load ${load}; first ${fmt(first)} / copy+upsert ${fmt(up)} = ${pct(first, up)}; resync ${fmt(resync)} / raw ${fmt(raw)} = ${pct(resync, raw)}`,
      );
    }
  } finally {
    await worker.stop();
    await env.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
