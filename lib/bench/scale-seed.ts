import { createHash } from "node:crypto";
import type postgres from "postgres";
import type { Db } from "@/db/client";
import { createIntegration, createSync } from "@/lib/syncs/create";

/**
 * The volumes of `npm run bench -- --scale`, seeded set-based (generate_series, one statement per
 * table) so they take minutes: 1,000,000 jobs over 40 syncs of one integration (the busy sync holds
 * 200,000), 3 table jobs each for the newest 100,000, and 5,000,000 errors — 3,000,000 spread over
 * 10,000 recent jobs, then 2,000,000 in one recent job of the busy sync (inserted last, so its ids are
 * the highest, as a fresh failure's are). The maintained counters are filled by their triggers, as
 * in production; num_errors is set from them afterwards.
 */

/** BENCH_SCALE shrinks every volume (e.g. 0.01 to try the bench out in seconds); the real run uses 1. */
const F = Number(process.env.BENCH_SCALE ?? 1);
export const scaleFactor = F;
const JOBS = Math.round(1_000_000 * F);
const SYNCS = 40;
const BUSY_EVERY = 5; // every 5th job belongs to the busy sync: 200,000
const TABLE_JOBS_FROM = JOBS - Math.round(100_000 * F); // the newest 100,000 have table jobs
const BIG_JOB_G = JOBS - Math.round(1000 * F); // a recent job of the busy sync (a multiple of 5)
const BIG_ERRORS = Math.round(2_000_000 * F);
const SPREAD_ERRORS_PER_JOB = 300; // × 10,000 jobs = 3,000,000
const TABLES = ["customers", "orders", "payments"];
/** The error whose value a support person searches for (`q=`): (k / 10) % 10 = 9 gives it a value token. */
const SEARCHED_K = 97 + 100 * Math.floor((BIG_ERRORS * 0.6) / 100);

const JOB_KIND = 0x6a000001;
const TABLE_KIND = 0x6a000002;
/** 24-hex, ObjectId-shaped ids computed in SQL: an 8-hex kind and a 16-hex serial. */
const oid = (kind: number, serial: string) => `lpad(to_hex(${kind}), 8, '0') || lpad(to_hex(${serial}), 16, '0')`;
const jsOid = (kind: number, serial: number) => kind.toString(16).padStart(8, "0") + serial.toString(16).padStart(16, "0");
const token = (n: string) => `substr(md5((${n})::text), 1, 12)`;

export type ScaleFixture = {
  factor: number;
  jobs: number;
  errors: number;
  busyJobs: number;
  bigErrors: number;
  integrationId: string;
  busySyncId: string;
  bigJobId: string;
  bigJobChildren: string[];
  oneJobId: string;
  searched: string;
  code: string;
  seconds: Record<string, number>;
};

/** Code and message of an error, from its ordinal `k` and table (SQL expressions). */
const errorColumns = (k: string, table: string, tokenOf: string) => `
  case when (${k} / 10) % 10 < 7 then 'NOT_NULL_VIOLATION' when (${k} / 10) % 10 < 9 then 'VALUE_TOO_LONG' else 'INVALID_UUID' end as code,
  case when (${k} / 10) % 10 < 7
         then format('Record rejected by the warehouse: column "%s" of table "%s" cannot be null', (array['email','phone','created_at','status'])[${k} % 4 + 1], ${table})
       when (${k} / 10) % 10 < 9
         then format('Value %s… for column "notes" of table "%s" is longer than 255 characters', ${token(tokenOf)}, ${table})
       else format('Invalid uuid "%s" in column "customer_ref" of table "%s"', ${token(tokenOf)}, ${table}) end as message`;

export async function seedScale(sql: postgres.Sql, db: Db, step: (msg: string) => void): Promise<ScaleFixture> {
  const seconds: Record<string, number> = {};
  const timed = async (name: string, fn: () => Promise<unknown>) => {
    step(`seed: ${name}`);
    const t0 = performance.now();
    await fn();
    seconds[name] = (performance.now() - t0) / 1000;
  };

  const integration = await createIntegration(db, "Scale");
  const syncIds: string[] = [];
  for (let i = 0; i < SYNCS; i++) {
    const sync = await createSync(db, {
      _integrationId: integration.id,
      name: i === 0 ? "Busy sync" : `Sync ${i + 1}`,
      source: { type: "sample", seed: i, tables: TABLES.map((name) => ({ name, rows: 1000 })) },
      destination: { type: "postgres", schema: `scale_wh_${i}` },
    });
    syncIds.push(sync.id);
  }

  await sql.begin(async (tx) => {
    await tx`set local synchronous_commit = off`;
    await timed("1,000,000 jobs", () =>
      tx.unsafe(
        `
      insert into sync_jobs (id, flow_execution_group_id, sync_id, integration_id, run_type, status, triggered_by,
                             created_at, started_at, ended_at, purge_at, num_extracted_records, num_loaded_records,
                             num_inserted_records, num_updated_records, num_tables_synced, error_message)
      select ${oid(JOB_KIND, "g")}, md5(g::text),
             ($1::text[])[case when g % ${BUSY_EVERY} = 0 then 1 else 2 + g % ${SYNCS - 1} end], $2,
             case when g % 97 = 0 then 'resync' else 'normal' end,
             case when g % 23 = 0 then 'failed' when g % 101 = 0 then 'canceled' else 'completed' end,
             case when g % 3 = 0 then 'user:ops@example.com' else 'schedule' end,
             t, t + interval '1 second', t + interval '1 second' + (g % 600) * interval '100 milliseconds', t + interval '30 days',
             1000 + g % 5000, 990 + g % 5000, 100 + g % 500, 890 + g % 4500, 3,
             case when g % 23 = 0 then 'Table orders failed: the source closed the connection' end
        from generate_series(1, ${JOBS}) g, lateral (select now() - (${JOBS} - g) * interval '2 seconds' as t) x`,
        [syncIds, integration.id],
      ),
    );
    await timed("300,000 table jobs", () =>
      tx.unsafe(
        `
      insert into table_jobs (id, sync_job_id, sync_id, table_name, position, status, created_at, started_at, ended_at,
                              num_extracted_records, num_loaded_records, num_inserted_records, num_updated_records, num_attempts)
      select ${oid(TABLE_KIND, "g * 3 + p")}, j.id, j.sync_id, ($1::text[])[p + 1], p,
             case when j.status = 'failed' and p = 1 then 'failed' when j.status = 'canceled' then 'canceled' else 'completed' end,
             j.created_at, j.started_at, j.ended_at, 300 + g % 2000, 295 + g % 2000, 30 + g % 200, 265 + g % 1800, 1
        from generate_series(${TABLE_JOBS_FROM + 1}, ${JOBS}) g cross join generate_series(0, 2) p
        join sync_jobs j on j.id = ${oid(JOB_KIND, "g")}`,
        [TABLES],
      ),
    );
  });

  // Bulk load first, trigram index after: building it once is far cheaper than 5M incremental inserts.
  await sql`drop index if exists sync_errors_message_trgm_idx`;
  const insertErrors = (from: string, kExpr: string, tableOf: string) => `
    insert into sync_errors (parent_job_id, child_job_id, sync_id, flow_execution_group_id, dataset_id, dataset_name, table_name,
                             scope, stage, source, code, message, record_key, occurred_at)
    select j.id, ${oid(TABLE_KIND, `g * 3 + (${tableOf})`)}, j.sync_id, j.flow_execution_group_id,
           substr(md5(j.sync_id || ':' || tn), 1, 24), tn, tn,
           case when k % 1000 = 0 then 'extract' else 'load' end, case when k % 1000 = 0 then 'extract' else 'load' end,
           case when k % 1000 = 0 then 'source' else 'destination' end,
           e.code, e.message, (g::bigint * 1000000 + k)::text, j.started_at + (k % 3600) * interval '1 second'
      ${from}
      cross join lateral (select ($1::text[])[(${tableOf}) + 1] as tn) t
      cross join lateral (select ${errorColumns(kExpr, "tn", "g::bigint * 1000000 + k")}) e`;
  await sql.begin(async (tx) => {
    await tx`set local synchronous_commit = off`;
    await timed("3,000,000 errors over 10,000 jobs", () =>
      tx.unsafe(
        insertErrors(
          `from generate_series(${TABLE_JOBS_FROM + 3}, ${JOBS}, 10) g join sync_jobs j on j.id = ${oid(JOB_KIND, "g")}
           cross join generate_series(1, ${SPREAD_ERRORS_PER_JOB}) k`,
          "k",
          "k % 3",
        ),
        [TABLES],
      ),
    );
  });
  await sql.begin(async (tx) => {
    await tx`set local synchronous_commit = off`;
    await timed("2,000,000 errors in one job", () =>
      tx.unsafe(
        insertErrors(
          `from (select ${BIG_JOB_G}::bigint as g) gs join sync_jobs j on j.id = ${oid(JOB_KIND, "gs.g")}
           cross join generate_series(1, ${BIG_ERRORS}) k`,
          "k",
          "case when k % 10 < 6 then 0 when k % 10 < 9 then 1 else 2 end",
        ),
        [TABLES],
      ),
    );
  });
  await timed("trigram index", async () => {
    await sql.begin(async (tx) => {
      await tx`set local maintenance_work_mem = '1GB'`;
      await tx`create index sync_errors_message_trgm_idx on sync_errors using gin (message gin_trgm_ops)`;
    });
  });
  await timed("num_errors from the counters", async () => {
    await sql`update table_jobs t set num_errors = c.n from (select child_job_id, sum(n) as n from sync_error_counts group by 1) c where t.id = c.child_job_id`;
    await sql`update sync_jobs j set num_errors = c.n from (select parent_job_id, sum(n) as n from sync_error_counts group by 1) c where j.id = c.parent_job_id`;
  });
  await timed("vacuum analyze", async () => {
    for (const t of ["sync_jobs", "table_jobs", "sync_errors", "sync_job_counts", "sync_error_counts", "syncs", "api_keys"])
      await sql.unsafe(`vacuum analyze ${t}`);
    await sql`checkpoint`;
  });

  const searchedSerial = String(BIG_JOB_G * 1_000_000 + SEARCHED_K);
  return {
    factor: F,
    jobs: JOBS,
    errors: BIG_ERRORS + ((JOBS - TABLE_JOBS_FROM) / 10) * SPREAD_ERRORS_PER_JOB,
    busyJobs: JOBS / BUSY_EVERY,
    bigErrors: BIG_ERRORS,
    integrationId: integration.id,
    busySyncId: syncIds[0],
    bigJobId: jsOid(JOB_KIND, BIG_JOB_G),
    bigJobChildren: [0, 1, 2].map((p) => jsOid(TABLE_KIND, BIG_JOB_G * 3 + p)),
    oneJobId: jsOid(JOB_KIND, JOBS - 7),
    searched: createHash("md5").update(searchedSerial).digest("hex").slice(0, 12),
    code: "VALUE_TOO_LONG",
    seconds,
  };
}
