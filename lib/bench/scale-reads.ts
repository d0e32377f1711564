import postgres from "postgres";
import { percentile } from "./stats";
import type { ScaleFixture } from "./scale-seed";

/**
 * Every /v1 read at scale, over HTTP against the real app server, each beside the raw SQL of the same
 * query (the statements the endpoint runs for its answer: the page and its total), in the same run,
 * at the same concurrency: one client, then 32 clients each sending its next request as soon as the
 * previous one answered.
 */

export type ReadFigure = {
  name: string;
  app1: { p50: number; p95: number };
  raw1: { p50: number; p95: number };
  app32: { p95: number; rps: number };
  raw32: { p95: number; rps: number };
  /** Non-2xx answers of the app during the measurement (none expected). */
  failures: string[];
};

type Read = {
  name: string;
  path: string;
  raw: (sql: postgres.Sql) => Promise<unknown>;
  check: (res: Response, body: unknown) => string | null;
};

const PAGE = 50;
const ERRORS_PAGE = 100;
export const ONE_CLIENT = Number(process.env.BENCH_ONE_CLIENT ?? 100);
const CLIENTS = 32;
export const PER_CLIENT = Number(process.env.BENCH_PER_CLIENT ?? 15);
const WARM = 15;

/** The history's ORDER BY, as the app writes it (matching the index's DESC NULLS LAST). */
const JOB_ORDER = "created_at desc nulls last, id desc nulls last";

export async function measureReads(
  base: string,
  token: string,
  url: string,
  fx: ScaleFixture,
  step: (msg: string) => void,
): Promise<{ figures: ReadFigure[]; deepCursor: string }> {
  const auth = { authorization: `Bearer ${token}` };
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: auth });
    const body = res.status === 204 ? null : await res.json();
    return { res, body };
  };
  // The 20th page's cursor, the way a client reaches it: by following nextCursor.
  let cursor: string | undefined;
  for (let i = 0; i < 19; i++) {
    const { body } = await get(`/v1/syncs/${fx.busySyncId}/syncJobs?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`);
    cursor = (body as { nextCursor: string }).nextCursor;
  }
  const decoded = Buffer.from(cursor!, "base64url").toString("utf8").split("|");
  const deep = { createdAt: decoded[0], id: decoded[1] };

  const total = (want: number) => (res: Response, body: unknown) => {
    const got = Number(res.headers.get("x-total-count") ?? (body as { totalCount?: number })?.totalCount);
    return res.status !== 200 ? `status ${res.status}` : got !== want ? `total ${got}, expected ${want}` : null;
  };
  const ok = (res: Response) => (res.status === 200 ? null : `status ${res.status}`);
  const [child, code] = [fx.bigJobChildren[1], fx.code];
  // Expected totals, counted the slow way once, to check every endpoint answers the right numbers.
  const probe = postgres(url, { max: 1, onnotice: () => {} });
  const counted = async (q: postgres.PendingQuery<{ n: number }[]>) => (await q)[0].n;
  const expected = {
    failed: await counted(probe`select count(*)::int as n from sync_jobs where sync_id = ${fx.busySyncId} and status = 'failed'`),
    child: await counted(probe`select count(*)::int as n from sync_errors where child_job_id = ${child}`),
    code: await counted(probe`select count(*)::int as n from sync_errors where parent_job_id = ${fx.bigJobId} and code = ${code}`),
    q: await counted(
      probe`select count(*)::int as n from sync_errors where parent_job_id = ${fx.bigJobId} and message ilike ${`%${fx.searched}%`}`,
    ),
  };
  await probe.end({ timeout: 2 });

  // The app's shape: the page's ids from the filter's index, then the rows (see listJobErrors).
  const errorsPage = (sql: postgres.Sql, where: postgres.PendingQuery<postgres.Row[]>, _order: string) =>
    sql`select * from sync_errors where id in (select id from sync_errors where ${where} order by id limit ${ERRORS_PAGE + 1})
          and parent_job_id = ${fx.bigJobId} order by id`;
  const errorTotal = (sql: postgres.Sql, where: postgres.PendingQuery<postgres.Row[]>) =>
    sql`select coalesce(sum(n), 0)::int from sync_error_counts where ${where}`;

  const reads: Read[] = [
    {
      name: "history first page",
      path: `/v1/syncs/${fx.busySyncId}/syncJobs?limit=${PAGE}`,
      raw: (sql) =>
        Promise.all([
          sql`select * from sync_jobs where sync_id = ${fx.busySyncId} order by ${sql.unsafe(JOB_ORDER)} limit ${PAGE + 1}`,
          sql`select coalesce(sum(n), 0)::int from sync_job_counts where sync_id = ${fx.busySyncId}`,
        ]),
      check: total(fx.busyJobs),
    },
    {
      name: "history 20 pages deep (cursor)",
      path: `/v1/syncs/${fx.busySyncId}/syncJobs?limit=${PAGE}&cursor=${cursor}`,
      raw: (sql) =>
        Promise.all([
          sql`select * from sync_jobs where sync_id = ${fx.busySyncId} and (created_at, id) < (${deep.createdAt}::timestamptz, ${deep.id})
               order by ${sql.unsafe(JOB_ORDER)} limit ${PAGE + 1}`,
          sql`select coalesce(sum(n), 0)::int from sync_job_counts where sync_id = ${fx.busySyncId}`,
        ]),
      check: total(fx.busyJobs),
    },
    {
      name: "history status=failed",
      path: `/v1/syncs/${fx.busySyncId}/syncJobs?limit=${PAGE}&status=failed`,
      raw: (sql) =>
        Promise.all([
          sql`select * from sync_jobs where sync_id = ${fx.busySyncId} and status in ('failed') order by ${sql.unsafe(JOB_ORDER)} limit ${PAGE + 1}`,
          sql`select coalesce(sum(n), 0)::int from sync_job_counts where sync_id = ${fx.busySyncId} and status in ('failed')`,
        ]),
      check: total(expected.failed),
    },
    {
      name: "latest per integration (40 syncs)",
      path: `/v1/integrations/${fx.integrationId}/syncJobs/latest`,
      raw: (sql) => sql`
        select l.* from syncs s cross join lateral (
          select * from sync_jobs j where j.sync_id = s.id order by ${sql.unsafe(JOB_ORDER)} limit 1) l
         where s.integration_id = ${fx.integrationId} order by s.created_at, s.id`,
      check: (res, body) => ok(res) ?? ((body as unknown[]).length === 40 ? null : `got ${(body as unknown[]).length} jobs`),
    },
    {
      name: "job family",
      path: `/v1/syncJobs/${fx.bigJobId}/family`,
      raw: async (sql) => {
        await sql`select * from sync_jobs where id = ${fx.bigJobId}`;
        await sql`select * from table_jobs where sync_job_id = ${fx.bigJobId} order by position, table_name`;
      },
      check: (res, body) => ok(res) ?? ((body as { tables: unknown[] }).tables.length === 3 ? null : "not 3 tables"),
    },
    {
      name: "one job",
      path: `/v1/syncJobs/${fx.oneJobId}`,
      raw: (sql) => sql`select * from sync_jobs where id = ${fx.oneJobId}`,
      check: ok,
    },
    {
      name: "errors first page (the job with the most errors)",
      path: `/v1/syncJobs/${fx.bigJobId}/errors?limit=${ERRORS_PAGE}`,
      raw: (sql) =>
        Promise.all([
          errorsPage(sql, sql`parent_job_id = ${fx.bigJobId}`, "parent_job_id, id"),
          errorTotal(sql, sql`parent_job_id = ${fx.bigJobId}`),
        ]),
      check: total(fx.bigErrors),
    },
    {
      name: "errors by _childJobId",
      path: `/v1/syncJobs/${fx.bigJobId}/errors?limit=${ERRORS_PAGE}&_childJobId=${child}`,
      raw: (sql) =>
        Promise.all([
          errorsPage(sql, sql`child_job_id = ${child}`, "child_job_id, id"),
          errorTotal(sql, sql`parent_job_id = ${fx.bigJobId} and child_job_id = ${child}`),
        ]),
      check: total(expected.child),
    },
    {
      name: "errors by code",
      path: `/v1/syncJobs/${fx.bigJobId}/errors?limit=${ERRORS_PAGE}&code=${code}`,
      raw: (sql) =>
        Promise.all([
          errorsPage(sql, sql`parent_job_id = ${fx.bigJobId} and code = ${code}`, "parent_job_id, code, id"),
          errorTotal(sql, sql`parent_job_id = ${fx.bigJobId} and code = ${code}`),
        ]),
      check: total(expected.code),
    },
    {
      name: "errors text search q=",
      path: `/v1/syncJobs/${fx.bigJobId}/errors?limit=${ERRORS_PAGE}&q=${fx.searched}`,
      raw: (sql) =>
        Promise.all([
          errorsPage(sql, sql`parent_job_id = ${fx.bigJobId} and message ilike ${`%${fx.searched}%`}`, "id"),
          sql`select count(*)::int from sync_errors where parent_job_id = ${fx.bigJobId} and message ilike ${`%${fx.searched}%`}`,
        ]),
      check: total(expected.q),
    },
    {
      name: "errors summary",
      path: `/v1/syncJobs/${fx.bigJobId}/errors/summary`,
      raw: (sql) => sql`select child_job_id, table_name, code, stage, n from sync_error_counts where parent_job_id = ${fx.bigJobId}`,
      check: (res, body) => ok(res) ?? ((body as { byCode: unknown[] }).byCode.length === 3 ? null : "not 3 codes"),
    },
  ];

  const figures: ReadFigure[] = [];
  const raw1 = postgres(url, { max: 2, onnotice: () => {} });
  const raw32 = postgres(url, { max: CLIENTS * 2, onnotice: () => {} });
  try {
    // Every read warmed up before any is timed: otherwise the first one measured also pays for the
    // app's and the bench's own warm-up (lazily loaded route modules, JIT, the pools' connections).
    step("reads: warm-up");
    for (let round = 0; round < WARM; round++) {
      for (const r of reads) await Promise.all([fetch(`${base}${r.path}`, { headers: auth }).then((res) => res.text()), r.raw(raw1)]);
    }
    for (const r of reads) {
      step(`reads: ${r.name}`);
      const first = await get(r.path);
      const problem = r.check(first.res, first.body);
      if (problem) throw new Error(`${r.name}: ${problem}`);
      // A failed request is timed like the others and counted, so one bad answer under load is reported, not fatal.
      const failures = new Map<string, number>();
      const app = async () => {
        const res = await fetch(`${base}${r.path}`, { headers: auth });
        const body = await res.text();
        if (res.status >= 300) {
          const what = `${res.status} ${body.slice(0, 120)}`;
          failures.set(what, (failures.get(what) ?? 0) + 1);
        }
      };
      const figure: ReadFigure = {
        name: r.name,
        app1: await oneClient(app),
        raw1: await oneClient(() => r.raw(raw1)),
        app32: await manyClients(app),
        raw32: await manyClients(() => r.raw(raw32)),
        failures: [...failures].map(([what, n]) => `${n} × ${what}`),
      };
      figures.push(figure);
    }
  } finally {
    await Promise.all([raw1.end({ timeout: 2 }), raw32.end({ timeout: 2 })]);
  }
  return { figures, deepCursor: cursor! };
}

async function oneClient(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARM; i++) await fn();
  const took: number[] = [];
  for (let i = 0; i < ONE_CLIENT; i++) {
    const t0 = performance.now();
    await fn();
    took.push(performance.now() - t0);
  }
  return { p50: percentile(took, 50), p95: percentile(took, 95) };
}

async function manyClients(fn: () => Promise<unknown>) {
  await Promise.all(Array.from({ length: CLIENTS }, async () => fn()));
  const took: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < PER_CLIENT; i++) {
        const s = performance.now();
        await fn();
        took.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { p95: percentile(took, 95), rps: took.length / seconds };
}
