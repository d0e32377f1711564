import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { Worker } from "@/lib/engine/worker";
import { createIntegration, createSync } from "@/lib/syncs/create";
import { type BenchDb, startBenchDatabase } from "./database";
import { expectStatus, trigger } from "./jobs";
import type { Throughput } from "./load";

export type CdcResult = {
  changes: number;
  /** The engine's normal run applying them: table job endedAt − startedAt. */
  run: Throughput;
  /** Same run, just before: the same changes read with pg_logical_slot_peek_binary_changes alone. */
  peek: Throughput;
  snapshotRows: number;
  snapshot: Throughput;
  date: Date;
  load: string;
};

const CHANGES = Number(process.env.BENCH_CDC_CHANGES ?? 100_000);
const step = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const through = (rows: number, seconds: number): Throughput => ({ rows, seconds, rowsPerSecond: rows / seconds });

/**
 * A change data capture sync of one table, from a second database on the bench server into the
 * app's database: first run (snapshot), then CHANGES changes in 10 transactions (a half inserts,
 * 30 % updates, 20 % deletes, each key changed once), then one normal run that applies them.
 * Its baseline is the physical limit of the same work's reading half: the same slot peeked with
 * pg_logical_slot_peek_binary_changes and every change's bytes fetched to the client, no decoding.
 */
export async function cdcBench(env: BenchDb, changes = CHANGES): Promise<CdcResult> {
  const date = new Date();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
  const name = "bench_cdc_source";
  await env.sql.unsafe(`drop database if exists ${name} with (force)`);
  await env.sql.unsafe(`create database ${name}`);
  const url = new URL(env.url);
  url.pathname = `/${name}`;
  const src = postgres(url.toString(), { max: 2, onnotice: () => {} });
  try {
    const base = Math.round(changes / 2); // rows before the changes
    const updates = Math.round(changes * 0.3);
    const deletes = Math.round(changes * 0.2);
    const inserts = changes - updates - deletes;
    await src`create table items (id int primary key, name text not null, price numeric(12,2), updated_at timestamptz not null)`;
    await src`insert into items select g, 'item ' || g, g * 0.25, '2026-01-01'::timestamptz + g * interval '1 s' from generate_series(1, ${base}::int) g`;
    const integration = await createIntegration(env.db, "bench cdc");
    const sync = await createSync(env.db, {
      _integrationId: integration.id,
      name: "bench cdc",
      source: { type: "postgres", url: url.toString(), replication: "logical", tables: [{ name: "items", primaryKey: "id" }] },
      destination: { type: "postgres", schema: "bench_wh_cdc" },
    });
    step(`CDC snapshot of ${base} rows`);
    const snapshot = await tableJobThroughput(env, await trigger(env.db, sync.id), base);

    step(`CDC: ${changes} changes at the source`);
    const txns = 10;
    const per = (n: number, i: number) => [Math.floor((n * i) / txns), Math.floor((n * (i + 1)) / txns)];
    for (let i = 0; i < txns; i++) {
      const [u0, u1] = per(updates, i);
      const [d0, d1] = per(deletes, i);
      const [i0, i1] = per(inserts, i);
      await src.begin(async (tx) => {
        await tx`update items set price = price + 1, updated_at = now() where id > ${u0} and id <= ${u1}`;
        await tx`delete from items where id > ${updates + d0} and id <= ${updates + d1}`;
        await tx`insert into items select g, 'new ' || g, g, now() from generate_series(${base + i0 + 1}::int, ${base + i1}::int) g`;
      });
    }
    await env.sql`checkpoint`;

    step("CDC baseline: peek the same changes");
    const slot = `sync_console_${sync.id}`;
    const t0 = performance.now();
    let messages = 0;
    for await (const chunk of src
      .unsafe<{ data: Buffer }[]>(
        `select data from pg_logical_slot_peek_binary_changes($1::name, null, null, 'proto_version', '1', 'publication_names', $1::text)`,
        [slot],
      )
      .cursor(2000)) {
      messages += chunk.length;
    }
    const peek = through(changes, (performance.now() - t0) / 1000);
    if (messages < changes) throw new Error(`the slot held ${messages} messages, expected at least ${changes}`);

    step("CDC engine run");
    const run = await tableJobThroughput(env, await trigger(env.db, sync.id), changes);
    const [job] = await env.sql<{ i: number; u: number; d: number }[]>`
      select num_inserted_records as i, num_updated_records as u, num_deleted_records as d from sync_jobs where sync_id = ${sync.id} order by created_at desc limit 1`;
    if (job.i !== inserts || job.u !== updates || job.d !== deletes)
      throw new Error(`CDC run counted ${job.i}/${job.u}/${job.d}, expected ${inserts}/${updates}/${deletes}`);
    const digest = `select count(*)::int as n, md5(string_agg(t::text, '|' order by id)) as md5 from `;
    const [a] = await src.unsafe(`${digest} items t`);
    const [b] = await env.sql.unsafe(`${digest} bench_wh_cdc.items t`);
    if (a.md5 !== b.md5) throw new Error(`warehouse differs from the source after the CDC run (${a.n} vs ${b.n} rows)`);
    return { changes, run, peek, snapshotRows: base, snapshot, date, load };
  } finally {
    await src.end({ timeout: 5 });
    await env.sql.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
  }
}

async function tableJobThroughput(env: BenchDb, jobId: string, expected: number): Promise<Throughput> {
  await expectStatus(env.sql, jobId, "completed", { timeoutMs: 300_000, everyMs: 250 });
  const [t] = await env.sql<{ s: number; n: number }[]>`
    select extract(epoch from ended_at - started_at)::float8 as s, num_extracted_records as n from table_jobs where sync_job_id = ${jobId}`;
  if (t.n !== expected) throw new Error(`CDC job extracted ${t.n}, expected ${expected}`);
  return through(expected, t.s);
}

const rate = (t: Throughput) => `${Math.round(t.rowsPerSecond).toLocaleString("en-US")} changes/s (${t.seconds.toFixed(2)} s)`;

export function renderCdcSection(r: CdcResult): string {
  const n = r.changes.toLocaleString("en-US");
  return `## Change data capture

Measured on ${r.date.toISOString().replace("T", " ").slice(0, 16)} UTC (load average ${r.load} at the start, on a machine shared with other work).

| Measure (${n} changes) | Measured | Baseline (same run) | Ratio to baseline |
|---|---|---|---|
| CDC normal run (decode, batch, upsert + delete, counters) | ${rate(r.run)} | peek only: ${rate(r.peek)} | ${Math.round((r.run.rowsPerSecond / r.peek.rowsPerSecond) * 100)} % |
| CDC first run (snapshot of ${r.snapshotRows.toLocaleString("en-US")} rows) | ${Math.round(r.snapshot.rowsPerSecond).toLocaleString("en-US")} rows/s (${r.snapshot.seconds.toFixed(2)} s) | — | — |

- **Changes** — one \`items\` table in a second database of the bench server; after the snapshot, ${n} changes in 10
  transactions: 50 % inserts, 30 % updates, 20 % deletes, each key changed once. The run must count exactly those
  inserts/updates/deletes and leave a warehouse whose md5 digest equals the source's, or the bench fails.
- **CDC normal run** — the table job's \`endedAt − startedAt\`: slot lock, one non-consuming peek of the slot, pgoutput
  parsing (\`pg-logical-replication\`'s parser), batches of \`BATCH_SIZE\` changes landed with their position, then the slot advanced.
- **Peek only** — right before the run, the same slot read with \`pg_logical_slot_peek_binary_changes\` and every
  change's bytes fetched to the client through a cursor: the decoding and transfer every CDC run pays, with no parsing and no warehouse.
`;
}

/** `npm run bench -- --cdc`: only this measure, spliced into docs/benchmarks.md in place of its section. */
export async function runCdcOnly(out: string): Promise<void> {
  const env = await startBenchDatabase();
  const worker = new Worker({ url: env.url });
  await worker.start();
  let section: string;
  try {
    section = renderCdcSection(await cdcBench(env));
  } finally {
    await worker.stop();
    await env.stop();
  }
  const doc = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "# Benchmarks\n";
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, spliceCdcSection(doc, section));
  process.stdout.write(`${section}\nWritten to ${path.relative(process.cwd(), out)}\n`);
}

/** Replaces the "## Change data capture" section (up to the next "## ") or appends it. */
export function spliceCdcSection(doc: string, section: string): string {
  const start = doc.indexOf("## Change data capture");
  if (start < 0) return `${doc.trimEnd()}\n\n${section}`;
  const next = doc.indexOf("\n## ", start + 3);
  return `${doc.slice(0, start)}${section.trimEnd()}\n${next < 0 ? "" : doc.slice(next)}`;
}
