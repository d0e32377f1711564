import { type CdcResult, renderCdcSection } from "./cdc";
import { type ParallelResults, renderParallelSection } from "./parallel";
import { renderWarehouseSection, type WarehouseResults } from "./warehouse";
import type { Throughput } from "./load";
import type { Machine } from "./machine";
import type { Latency } from "./stats";

export type Results = {
  date: Date;
  seconds: number;
  machine: Machine;
  batchSize: number;
  rows: number;
  notify: Latency;
  commit: Latency;
  pickup: Latency;
  cancel: Latency;
  generate: Throughput;
  rawCopy: Throughput;
  rawCopyNagle: Throughput;
  copyUpsert: Throughput;
  /** The physical limits: the same COPYs of rows encoded before the clock started. */
  rawCopyEncoded?: Throughput;
  /** Context: the pre-encoded raw COPY on two connections side by side, as a resync lands its batches. */
  rawCopyEncodedTwo?: Throughput;
  copyUpsertEncoded?: Throughput;
  firstLoad: Throughput;
  /** The resync of a table autovacuum has been through, as a resync finds it in use. */
  resync: Throughput;
  /** Context: the same resync right after the first load, before any vacuum. */
  resyncUnvacuumed?: Throughput;
  cdc?: CdcResult;
  warehouse?: WarehouseResults;
  parallel?: ParallelResults;
  /** Run with --all: the "At scale" section comes from the same invocation, right after these. */
  all?: boolean;
};

const ms = (v: number) => (v < 10 ? `${v.toFixed(2)} ms` : v < 1000 ? `${v.toFixed(1)} ms` : `${(v / 1000).toFixed(2)} s`);
const rate = (t: Throughput) => `${Math.round(t.rowsPerSecond).toLocaleString("en-US")} rows/s (${t.seconds.toFixed(2)} s)`;
const times = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
const pct = (a: number, b: number) => `${Math.round((a / b) * 100)} %`;
const met = (ok: boolean) => (ok ? "✅ yes" : "❌ no");
/** A row without a goal: the engine's figure beside a limit it is not held to. */
const context = (label: string, engine: Throughput, limitName: string, limit: Throughput) => [
  label,
  rate(engine),
  "—",
  "—",
  `${limitName} ${rate(limit)}`,
  pct(engine.rowsPerSecond, limit.rowsPerSecond),
];

/** The results as markdown: every figure beside its goal and its ratio to a baseline from the same run. */
export function renderMarkdown(r: Results): string {
  const m = r.machine;
  const { pickup: p, cancel: c, notify: n } = r;
  const resyncShare = r.resync.rowsPerSecond / r.rawCopy.rowsPerSecond;
  const firstShare = r.firstLoad.rowsPerSecond / r.copyUpsert.rowsPerSecond;
  const rows = [
    ["Pickup p50 (trigger → running)", ms(p.p50), "≤ 15 ms", met(p.p50 <= 15), `NOTIFY→LISTEN p50 ${ms(n.p50)}`, times(p.p50, n.p50)],
    ["Pickup p90", ms(p.p90), "≤ 100 ms", met(p.p90 <= 100), `NOTIFY→LISTEN p90 ${ms(n.p90)}`, times(p.p90, n.p90)],
    ["Pickup max", ms(p.max), "—", "—", `NOTIFY→LISTEN max ${ms(n.max)}`, times(p.max, n.max)],
    [
      "Cancel p50 (cancel request → endedAt)",
      ms(c.p50),
      "≤ 1 s",
      met(c.p50 <= 1000),
      `NOTIFY→LISTEN p50 ${ms(n.p50)}`,
      times(c.p50, n.p50),
    ],
    ["Cancel max", ms(c.max), "≤ 1 s", met(c.max <= 1000), `NOTIFY→LISTEN max ${ms(n.max)}`, times(c.max, n.max)],
    ...(r.copyUpsertEncoded && r.rawCopyEncoded
      ? [
          [
            "First load (normal run, empty warehouse)",
            rate(r.firstLoad),
            "≥ 80 % of COPY+upsert of pre-encoded rows",
            met(r.firstLoad.rowsPerSecond >= 0.8 * r.copyUpsertEncoded.rowsPerSecond),
            `COPY+upsert, pre-encoded ${rate(r.copyUpsertEncoded)}`,
            pct(r.firstLoad.rowsPerSecond, r.copyUpsertEncoded.rowsPerSecond),
          ],
          [
            "Resync (nothing attached: shadow swapped in; the table vacuumed, as autovacuum leaves it)",
            rate(r.resync),
            "≥ 80 % of raw COPY of pre-encoded rows",
            met(r.resync.rowsPerSecond >= 0.8 * r.rawCopyEncoded.rowsPerSecond),
            `raw COPY, pre-encoded ${rate(r.rawCopyEncoded)}`,
            pct(r.resync.rowsPerSecond, r.rawCopyEncoded.rowsPerSecond),
          ],
          ...(r.resyncUnvacuumed
            ? [
                context(
                  "Resync right after the first load, before any vacuum (context)",
                  r.resyncUnvacuumed,
                  "raw COPY, pre-encoded",
                  r.rawCopyEncoded,
                ),
              ]
            : []),
          // Into an empty table the engine COPYs without an upsert, so raw COPY is the stricter limit for it too.
          context("First load, against raw COPY of pre-encoded rows (context)", r.firstLoad, "raw COPY, pre-encoded", r.rawCopyEncoded),
          ...(r.rawCopyEncodedTwo
            ? [
                context(
                  "Resync, against raw COPY on two connections (context: the resync lands two batches at once)",
                  r.resync,
                  "raw COPY ×2, pre-encoded",
                  r.rawCopyEncodedTwo,
                ),
              ]
            : []),
        ]
      : []),
    [
      "First load, against our own generate+encode loop (context)",
      rate(r.firstLoad),
      "≥ 70 % of COPY+upsert",
      met(firstShare >= 0.7),
      `COPY+upsert, generation inside ${rate(r.copyUpsert)}`,
      pct(r.firstLoad.rowsPerSecond, r.copyUpsert.rowsPerSecond),
    ],
    [
      "Resync, against our own generate+encode loop (context)",
      rate(r.resync),
      "≥ 50 % of raw COPY",
      met(resyncShare >= 0.5),
      `raw COPY, generation inside ${rate(r.rawCopy)}`,
      pct(r.resync.rowsPerSecond, r.rawCopy.rowsPerSecond),
    ],
  ];
  const table = (head: string[], body: string[][]) =>
    [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((b) => `| ${b.join(" | ")} |`)].join("\n");

  return `# Benchmarks

Produced by \`npm run bench\` (\`lib/bench/run.ts\`) on ${r.date.toISOString().replace("T", " ").slice(0, 16)} UTC, in one run
(${Math.round(r.seconds)} s) against one throwaway embedded Postgres with the server's default durability
(\`fsync\` and \`synchronous_commit\` on). Every baseline below was measured in that same run, on the same server.${r.all ? '\nThis run was `npm run bench -- --all`: the "At scale" section below comes from the same invocation, right after it.' : ""}
Rerun it to refresh this file. The machine is shared with other work, so single figures vary from run to run;
the load average below says how busy it was when this run started.

## Machine

${table(
  ["CPU", "Cores", "Memory", "Node", "PostgreSQL", "OS", "Load avg at start (1/5/15 min)"],
  [[m.cpu, String(m.cores), `${m.memoryGiB} GiB`, m.node, m.postgres, m.os, m.loadAtStart]],
)}

## Results

${table(["Measure", "Measured", "Goal", "Goal met", "Baseline (same run)", "Ratio to baseline"], rows)}

Samples: pickup ${p.n} runs, cancel ${c.n} runs, NOTIFY ${n.n} round trips; loads ${r.rows.toLocaleString("en-US")} rows,
batch size ${r.batchSize.toLocaleString("en-US")} (\`BATCH_SIZE\`).

## Context (same run)

${table(
  ["Measure", "p50", "p90", "max"],
  [
    ["Bare NOTIFY → LISTEN round trip", ms(n.p50), ms(n.p90), ms(n.max)],
    ["Single-row INSERT, autocommit (one WAL flush)", ms(r.commit.p50), ms(r.commit.p90), ms(r.commit.max)],
    ["Pickup (startedAt − createdAt)", ms(p.p50), ms(p.p90), ms(p.max)],
    ["Cancel (cancelJob → endedAt)", ms(c.p50), ms(c.p90), ms(c.max)],
  ],
)}

| Loader (${r.rows.toLocaleString("en-US")} rows) | Throughput |
|---|---|
| Generate + encode only (\`SampleTableData.row\` + \`encodeCopy\`, no database) | ${rate(r.generate)} |
| Raw COPY of pre-encoded rows (the physical limit) | ${r.rawCopyEncoded ? rate(r.rawCopyEncoded) : "—"} |
| Raw COPY of pre-encoded rows, two connections side by side (context) | ${r.rawCopyEncodedTwo ? rate(r.rawCopyEncodedTwo) : "—"} |
| COPY into temp table + upsert, pre-encoded rows (the physical limit of a normal run) | ${r.copyUpsertEncoded ? rate(r.copyUpsertEncoded) : "—"} |
| Raw COPY baseline, generation and encoding inside the timing | ${rate(r.rawCopy)} |
| Raw COPY with postgres.js's default socket (Nagle on, no TCP_NODELAY) | ${rate(r.rawCopyNagle)} |
| COPY into temp table + \`INSERT … ON CONFLICT\` baseline | ${rate(r.copyUpsert)} |
| Engine first load | ${rate(r.firstLoad)} |
| Engine resync | ${rate(r.resync)} |${
    r.resyncUnvacuumed
      ? `
| Engine resync right after the first load, before any vacuum | ${rate(r.resyncUnvacuumed)} |`
      : ""
  }

## How each figure is measured

- **Pickup** — one in-process \`Worker\` (default concurrency) idles on LISTEN; a 1-table, 10-row \`sample\` sync is
  triggered ${p.n} times with \`triggerRun\`, each after the previous job completed and a random 150–400 ms pause (so
  the worker is idle and samples do not phase-lock with its 1 s poll). Figure: the parent job's \`startedAt − createdAt\`,
  both server timestamps: \`createdAt\` when the trigger transaction began, \`startedAt\` when the claim transaction began.
  It therefore includes the trigger transaction itself and its commit (a WAL flush), then NOTIFY delivery and the claim.
- **Cancel** — a \`sample\` table of 1,000,000 rows throttled to 5,000 rows/s (batches every 200 ms) is left running
  until its first batch committed plus a random 100–500 ms, then \`cancelJob\` is called. Figure: the parent's
  \`endedAt\` minus the client clock just before the call (same host, same clock).
- **Loads** — one \`sample\` table of ${r.rows.toLocaleString("en-US")} rows, no throttle, no bad records, into a schema
  of the app's own database. Per batch, ONE transaction holds the rows and the table job's counters, error records
  and checkpoint; it costs three round trips (BEGIN, the lease's row lock and the COPY go out together, then the
  COPY's bytes, then the counters and checkpoint together with COMMIT), and the next batch is generated and encoded
  meanwhile, 1,000 rows at a time (each slice encoded as soon as it is made). The parent job's row is not written per batch (a running parent shows its tables' sums). First load: a
  normal run into an empty warehouse table, which the engine fills with plain COPY (a key that turns up twice would
  send that batch and the rest through the upsert). Resync: the same table again (COPY into a shadow table
  without an index, two batches side by side on two connections, each committing after the one before it; after
  its last batch the shadow's primary key is built and analyzed while a second connection counts the keys it shares
  with the live table; nothing is attached to the table, so the shadow is then swapped in, in the transaction that
  completes the table). The goal's resync meets the table as it is in use: vacuumed and analyzed (untimed) before
  it, as autovacuum does within about a minute of a load this size (its insert threshold is 20 % of the table) and as
  pgbench does before it measures. The context row is the same resync right after the first load, before any vacuum
  (it runs first, then the baselines, then the vacuum): its key comparison is the table's first read since the
  checkpoint, so it sets every row's commit status, and with data checksums (Postgres 18's default) that rewrites every
  page of the live table to the WAL; vacuuming at the end of a first load instead moves that cost into the load
  (8 tables loaded at once spent 3–4.5 s each on it, their pages evicted and checkpointed). The raw COPY baseline uses one connection, as the goal is set; the same COPYs on two connections
  (context row) take the rows faster still, with both cores for Postgres, while the engine generates and encodes its
  rows on those same cores. Figure: rows ÷ (table job \`endedAt − startedAt\`, \`endedAt\` taken when the completion ran). A
  \`CHECKPOINT\` precedes each load so none starts behind another's WAL.
- **Raw COPY baseline, pre-encoded** (the physical limit) — the same rows, generated and encoded with
  \`encodeCopy\` (into buffers) before the clock starts, then one \`COPY … FROM STDIN\` (autocommit) per batch of the same size
  into an empty table of the same shape (same columns, same primary key). The "generation inside" variants (context
  only) generate and encode inside the timing, as the engine does.
- **COPY+upsert baseline** — per batch, one transaction: COPY into a temp table (\`on commit delete rows\`) and
  \`INSERT … SELECT … ON CONFLICT (id) DO UPDATE\` into an empty table with the primary key.
- **TCP_NODELAY** — the baselines and the worker's connections set it, as libpq does. With postgres.js's default
  socket, each COPY's closing CopyDone message waits for the server's delayed ACK of the rows (up to 40 ms per
  statement); the "Nagle on" row above shows what that costs the same raw COPY.
- **Server** — embedded PostgreSQL with its defaults except \`max_connections=300\`; the worker and the baselines
  connect over TCP to 127.0.0.1.
${r.cdc ? `\n${renderCdcSection(r.cdc)}` : ""}${r.warehouse ? `\n${renderWarehouseSection(r.warehouse)}` : ""}${r.parallel ? `\n${renderParallelSection(r.parallel)}` : ""}`;
}

/** A short plain-text summary for stdout. */
export function renderSummary(r: Results): string {
  return renderMarkdown(r).split("\n## How each figure")[0];
}
