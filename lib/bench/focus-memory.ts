/** One worker process loading BENCH_RSS_ROWS rows: RSS sampled every 250 ms, V8's GC traced (WORKER_FLAGS adds node flags). */
import "./quiet";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBenchDatabase } from "./database";
import { expectStatus, makeSampleSync, trigger } from "./jobs";

const ROWS = Number(process.env.BENCH_RSS_ROWS ?? 1_000_000);
const gcLog = path.join(os.tmpdir(), "sc-bench-gc.log");
const rss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
async function main() {
  const env = await startBenchDatabase();
  const log = fs.openSync(gcLog, "w");
  const child = spawn(
    process.execPath,
    [...(process.env.WORKER_FLAGS?.split(" ").filter(Boolean) ?? []), "--trace-gc", "--import", "tsx", "lib/bin/worker.ts"],
    {
      env: { ...process.env, DATABASE_URL: env.url, LOG_LEVEL: "error", TABLE_CONCURRENCY: "1" },
      stdio: ["ignore", log, "inherit"],
    },
  );
  try {
    await new Promise((r) => setTimeout(r, 4000));
    const idle = rss(child.pid!);
    const samples: number[] = [];
    const timer = setInterval(() => samples.push(rss(child.pid!)), 250);
    const sync = await makeSampleSync(env.db, [{ name: "m_rows", rows: ROWS }], 13);
    const t0 = Date.now();
    const job = await trigger(env.db, sync.id, "normal");
    await expectStatus(env.sql, job, "completed", { timeoutMs: 3_600_000, everyMs: 500 });
    clearInterval(timer);
    const s = (Date.now() - t0) / 1000;
    const q = (f: number) => samples[Math.floor(f * (samples.length - 1))]?.toFixed(0);
    console.log(
      `${ROWS} rows in ${s.toFixed(1)} s (${Math.round(ROWS / s)} rows/s): RSS idle ${idle.toFixed(0)} MiB, max ${Math.max(...samples).toFixed(0)}; by tenths of the run: ${[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(q).join(" ")}`,
    );
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
    await env.stop();
  }
  const gc = fs.readFileSync(gcLog, "utf8").split("\n");
  const kinds = new Map<string, { n: number; ms: number }>();
  for (const l of gc) {
    const m = /(Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact)[^,]*?([\d.]+) \/ [\d.]+ ms/.exec(l);
    if (!m) continue;
    const k = kinds.get(m[1]) ?? { n: 0, ms: 0 };
    k.n++;
    k.ms += Number(m[2]);
    kinds.set(m[1], k);
  }
  console.log("GC:", [...kinds].map(([k, v]) => `${k} ×${v.n} ${v.ms.toFixed(0)} ms`).join(", "));
  const last = gc.filter((l) => /Mark-Compact/.test(l)).slice(-3);
  console.log(last.join("\n"));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
