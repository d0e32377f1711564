/**
 * `npm run bench`: pickup latency, cancel latency and load throughput of the engine, each beside a
 * baseline measured in the same run on the same throwaway Postgres. Writes docs/benchmarks.md.
 */
import "./quiet";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "@/lib/engine/worker";
import { config } from "@/lib/runtime/config";
import { cdcBench, runCdcOnly } from "./cdc";
import { type BenchDb, startBenchDatabase } from "./database";
import { makeSampleSync } from "./jobs";
import { cancel, commitRoundTrip, notifyRoundTrip, pickup } from "./latency";
import { copyUpsert, engineRun, generateOnly, rawCopy, vacuumAsInUse } from "./load";
import { describeMachine } from "./machine";
import { renderMarkdown, renderSummary, type Results } from "./report";
import { checkScaleNeeds, runScale } from "./scale";
import { measureParallel } from "./parallel";
import { copyUpsertEncoded, encodeAll, measureWarehouse, rawCopyEncoded, rawCopyEncodedTwo } from "./warehouse";
import { scaleSectionOf, sectionOf } from "./scale-report";

const LOAD_ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SEED = 7;
const OUT = path.join(process.cwd(), "docs", "benchmarks.md");

const step = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

async function measure(env: BenchDb, started: number): Promise<Results> {
  const machine = await describeMachine(env.sql);
  const worker = new Worker({ url: env.url });
  await worker.start();
  try {
    step("NOTIFY and commit baselines");
    const notify = await notifyRoundTrip(env.url);
    const commit = await commitRoundTrip(env.sql);
    step("pickup (40 runs)");
    const pick = await pickup(env, 40);
    step("cancel (10 runs)");
    const canceled = await cancel(env, 10);

    const table = { name: "bench_rows", rows: LOAD_ROWS };
    const batchSize = config.batchSize();
    step(`generate + encode ${LOAD_ROWS} rows`);
    const generate = generateOnly(table, SEED, batchSize);
    const sync = await makeSampleSync(env.db, [table], SEED);
    // Each engine load sits right after its own baseline, so both see the same machine load.
    step("encode the rows up front for the physical-limit baselines");
    const texts = encodeAll(table, SEED, batchSize);
    step("COPY+upsert baselines (pre-encoded, then with generation inside)");
    const upsertEncoded = await copyUpsertEncoded(env.url, texts, LOAD_ROWS);
    const upsertBase = await copyUpsert(env.url, table, SEED, batchSize);
    step("engine first load");
    const firstLoad = await engineRun(env, sync.id, "normal", LOAD_ROWS);
    step("engine resync right after the first load, before any vacuum (context)");
    const resyncUnvacuumed = await engineRun(env, sync.id, "resync", LOAD_ROWS);
    step("raw COPY baselines (pre-encoded, then with generation inside)");
    const copyEncoded = await rawCopyEncoded(env.url, texts, LOAD_ROWS);
    const copyBase = await rawCopy(env.url, table, SEED, batchSize);
    step("engine resync of the table as autovacuum leaves it");
    await vacuumAsInUse(env.sql, sync.schema, table.name);
    const resync = await engineRun(env, sync.id, "resync", LOAD_ROWS);
    step("raw COPY with Nagle on (context)");
    const copyNagle = await rawCopy(env.url, table, SEED, batchSize, { noDelay: false });
    step("raw COPY of pre-encoded rows on two connections (context)");
    const copyEncodedTwo = await rawCopyEncodedTwo(env.url, texts, LOAD_ROWS);
    step("change data capture (100,000 changes)");
    const cdc = await cdcBench(env);
    const warehouse = await measureWarehouse(env, { name: "bench_ext_rows", rows: LOAD_ROWS }, SEED, batchSize, step);

    return {
      date: new Date(),
      seconds: (performance.now() - started) / 1000,
      machine,
      batchSize,
      rows: LOAD_ROWS,
      notify,
      commit,
      pickup: pick,
      cancel: canceled,
      generate,
      rawCopy: copyBase,
      rawCopyNagle: copyNagle,
      copyUpsert: upsertBase,
      rawCopyEncoded: copyEncoded,
      rawCopyEncodedTwo: copyEncodedTwo,
      copyUpsertEncoded: upsertEncoded,
      firstLoad,
      resync,
      resyncUnvacuumed,
      cdc,
      warehouse,
    };
  } finally {
    await worker.stop();
  }
}

async function main() {
  // --all: the loads, then the scale measurements in the same invocation, so the whole file comes from one run.
  const all = process.argv.includes("--all");
  const scale = process.argv.includes("--scale") && !all;
  if (all || scale) checkScaleNeeds(); // before the seed and, with --all, the loads: not half an hour in
  if (scale) return runScale("npm run bench -- --scale");
  if (process.argv.includes("--cdc")) return runCdcOnly(OUT);
  const started = performance.now();
  step("starting a throwaway Postgres");
  const env = await startBenchDatabase();
  const stopOnSignal = () => void env.stop().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  let results: Results;
  try {
    results = await measure(env, started);
    // After the in-process worker has stopped: these run their own worker processes.
    results.parallel = await measureParallel(env, step);
    results.seconds = (performance.now() - started) / 1000;
    results.all = all;
  } finally {
    await env.stop();
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  // "Pages" (e2e/perf.spec.ts), the read fast-path prototype's figures and "At scale" (`--scale`) come from other
  // runs: keep them when rewriting the rest.
  const previous = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "";
  const kept = [
    sectionOf(previous, "## Pages"),
    sectionOf(previous, "## A /v1 read outside Next.js's pipeline (prototype, not switched on)"),
    scaleSectionOf(previous),
  ].filter((x): x is string => !!x);
  fs.writeFileSync(OUT, [renderMarkdown(results).trimEnd(), ...kept.map((k) => k.trimEnd())].join("\n\n") + "\n");
  process.stdout.write(`${renderSummary(results)}\nWritten to ${path.relative(process.cwd(), OUT)}\n`);
  if (all) await runScale("npm run bench -- --all");
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
