import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids";
import { api } from "../helpers/api";
import { runToEnd, sampleSync, testSql } from "../helpers/fixtures";

/**
 * Totals come from counters the database maintains (sync_job_counts, sync_error_counts), not from
 * counting rows per request: they must stay equal to the rows, whoever writes them (the engine,
 * a direct status change, a delete), and every filter's total must equal what paging returns.
 */

const total = async (path: string) => {
  const res = await api("GET", path);
  expect(res.status, res.text).toBe(200);
  return Number(res.headers.get("x-total-count") ?? res.body.totalCount);
};

/** Every page of a list, following the cursor, as one array. */
async function everyPage(path: string, limit: number) {
  const rows: any[] = [];
  let cursor: string | undefined;
  for (;;) {
    const sep = path.includes("?") ? "&" : "?";
    const res = await api("GET", `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status, res.text).toBe(200);
    const page = Array.isArray(res.body) ? res.body : res.body.data;
    rows.push(...page);
    cursor = res.headers.get("x-next-cursor") ?? res.body.nextCursor;
    if (!cursor) return rows;
  }
}

/** Counter rows that disagree with the rows they count, across the whole database. */
async function counterMismatches(): Promise<number> {
  const [{ jobs }] = await testSql()<{ jobs: number }[]>`
    select count(*)::int as jobs
      from (select sync_id, status, count(*)::bigint as n from sync_jobs group by 1, 2) j
      full join sync_job_counts c using (sync_id, status)
     where coalesce(j.n, 0) <> coalesce(c.n, 0)`;
  const [{ errors }] = await testSql()<{ errors: number }[]>`
    select count(*)::int as errors
      from (select parent_job_id, child_job_id, table_name, code, stage, count(*)::bigint as n from sync_errors group by 1, 2, 3, 4, 5) e
      full join sync_error_counts c using (parent_job_id, child_job_id, table_name, code, stage)
     where coalesce(e.n, 0) <> coalesce(c.n, 0)`;
  return jobs + errors;
}

describe("job history totals", () => {
  let syncId: string;
  let jobs: any[];

  beforeAll(async () => {
    ({
      sync: { id: syncId },
    } = await sampleSync([{ name: "t", rows: 5 }]));
    jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await runToEnd(syncId));
  }, 60_000);

  it("counts the sync's jobs per status, and follows status changes and deletes made outside the API", async () => {
    const path = `/v1/syncs/${syncId}/syncJobs`;
    expect(await total(path)).toBe(3);
    expect(await total(`${path}?status=completed`)).toBe(3);
    expect(await total(`${path}?status=failed,canceled`)).toBe(0);

    await testSql()`update sync_jobs set status = 'failed' where id = ${jobs[0]._id}`;
    expect(await total(`${path}?status=completed`)).toBe(2);
    expect(await total(`${path}?status=failed`)).toBe(1);
    expect(await total(path)).toBe(3);

    await testSql()`delete from sync_jobs where id = ${jobs[1]._id}`;
    expect(await total(path)).toBe(2);
    expect(await total(`${path}?status=completed`)).toBe(1);
    expect((await everyPage(path, 1)).map((j) => j._id).sort()).toEqual([jobs[0]._id, jobs[2]._id].sort());
    expect(await counterMismatches()).toBe(0);
  });

  it("answers 0 for a sync without jobs", async () => {
    const { sync } = await sampleSync([{ name: "t", rows: 1 }]);
    expect(await total(`/v1/syncs/${sync.id}/syncJobs`)).toBe(0);
  });
});

describe("error totals and summary", () => {
  let job: any;
  const tableId = (name: string) => job.tables.find((t: any) => t.tableName === name)._id;

  beforeAll(async () => {
    // 30 rejected customers and 8 rejected orders, all NOT_NULL_VIOLATION at the load stage.
    const { sync } = await sampleSync([
      { name: "customers", rows: 600, badRecordRate: 0.05 },
      { name: "orders", rows: 400, badRecordRate: 0.02 },
    ]);
    job = await runToEnd(sync.id);
    expect(job).toMatchObject({ status: "completed", numErrors: 38 });
  }, 60_000);

  it("gives every filter's total equal to the rows its pages return", async () => {
    const base = `/v1/syncJobs/${job._id}/errors`;
    const cases: [string, number][] = [
      ["", 38],
      [`_childJobId=${tableId("customers")}`, 30],
      ["tableName=orders", 8],
      ["code=NOT_NULL_VIOLATION", 38],
      ["code=NO_SUCH_CODE", 0],
      ["stage=load", 38],
      [`code=NOT_NULL_VIOLATION&_childJobId=${tableId("orders")}`, 8],
      ['q=table%20"customers"', 30],
      ["q=ORDERS", 8],
    ];
    for (const [query, expected] of cases) {
      const path = query ? `${base}?${query}` : base;
      expect(await total(path), query).toBe(expected);
      expect((await everyPage(path, 7)).length, query).toBe(expected);
    }
  });

  it("summarizes from the counters exactly as the rows group", async () => {
    const res = await api("GET", `/v1/syncJobs/${job._id}/errors/summary`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      byCode: [{ code: "NOT_NULL_VIOLATION", count: 38 }],
      byTable: [
        { tableName: "customers", _childJobId: tableId("customers"), count: 30 },
        { tableName: "orders", _childJobId: tableId("orders"), count: 8 },
      ],
      byStage: [{ stage: "load", count: 38 }],
    });
    // A facet ignores its own filter: picking orders still shows the customers count.
    const picked = await api("GET", `/v1/syncJobs/${job._id}/errors/summary?tableName=orders`);
    expect(picked.body.byTable.map((t: any) => t.count)).toEqual([30, 8]);
    expect(picked.body.byCode).toEqual([{ code: "NOT_NULL_VIOLATION", count: 8 }]);
    // With a text search the rows themselves are grouped.
    const searched = await api("GET", `/v1/syncJobs/${job._id}/errors/summary?q=customers`);
    expect(searched.body.byCode).toEqual([{ code: "NOT_NULL_VIOLATION", count: 30 }]);
  });

  it("keeps the counts when errors are added or removed outside the engine", async () => {
    const sql = testSql();
    const child = tableId("orders");
    await sql`
      insert into sync_errors (parent_job_id, child_job_id, sync_id, flow_execution_group_id, dataset_id, dataset_name,
                               table_name, scope, stage, source, code, message)
      select ${job._id}, ${child}, ${job._syncId}, ${job.flowExecutionGroupId}, 'd', 'orders', 'orders', 'load', 'load',
             'destination', 'VALUE_TOO_LONG', 'Value too long ' || i from generate_series(1, 5) i`;
    expect(await total(`/v1/syncJobs/${job._id}/errors`)).toBe(43);
    expect(await total(`/v1/syncJobs/${job._id}/errors?code=VALUE_TOO_LONG`)).toBe(5);
    await sql`delete from sync_errors where parent_job_id = ${job._id} and code = 'VALUE_TOO_LONG' and message like '%1' `;
    expect(await total(`/v1/syncJobs/${job._id}/errors?code=VALUE_TOO_LONG`)).toBe(4);
    expect(await total(`/v1/syncJobs/${job._id}/errors?tableName=orders`)).toBe(12);
    expect(await counterMismatches()).toBe(0);
  });

  it("answers 0 for an unknown table name", async () => {
    expect(await total(`/v1/syncJobs/${job._id}/errors?tableName=nope`)).toBe(0);
    expect(await total(`/v1/syncJobs/${job._id}/errors?_childJobId=${newId()}`)).toBe(0);
  });
});
