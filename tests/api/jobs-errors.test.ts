import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids";
import { api } from "../helpers/api";
import { runToEnd, sampleSync } from "../helpers/fixtures";
import { expectApiError, expectNoNulls, parseWire, strict } from "./jobs-fixtures";

/**
 * GET /v1/syncJobs/{_parentJobId}/errors: bare array, x-total-count, filters, offset and keyset paging.
 * Data: customers 1000 rows with 25 bad records, orders 400 rows with 4, so 29 load errors;
 * plus a failed run with one extract error.
 */

let job: any; // family of the run with 29 record errors
let clean: any; // a run without errors
let failed: any;
let all: any[]; // every error of `job`, as one page
const url = (query = "") => `/v1/syncJobs/${job._id}/errors${query ? `?${query}` : ""}`;
const tableId = (name: string) => job.tables.find((t: any) => t.tableName === name)._id;

async function errors(query = "") {
  const res = await api("GET", url(query));
  expect(res.status, res.text).toBe(200);
  expectNoNulls(res.body);
  const rows = parseWire(strict.errors, res.body);
  return { rows, total: Number(res.headers.get("x-total-count")), next: res.headers.get("x-next-cursor") ?? undefined, res };
}

beforeAll(async () => {
  const { sync } = await sampleSync([
    { name: "customers", rows: 1000, badRecordRate: 0.025 },
    { name: "orders", rows: 400, badRecordRate: 0.01 },
  ]);
  job = await runToEnd(sync.id);
  expect(job).toMatchObject({ status: "completed", numErrors: 29 });
  clean = await runToEnd((await sampleSync([{ name: "t", rows: 10 }])).sync.id);
  failed = await runToEnd(
    (await sampleSync([{ name: "ledger", rows: 20, failWith: { code: "PLATFORM_ERROR", message: "upstream said 50% no", afterRows: 5 } }]))
      .sync.id,
  );
  all = (await errors()).rows;
}, 120_000);

describe("GET /v1/syncJobs/{_parentJobId}/errors", () => {
  it("returns a bare array of every seed field plus _id and recordKey, and x-total-count", async () => {
    const { rows, total, next, res } = await errors();
    expect(res.headers.get("x-total-count")).toBe("29");
    expect(total).toBe(29);
    expect(next).toBeUndefined();
    expect(rows).toHaveLength(29);
    const ids = rows.map((e) => Number(e._id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b)); // oldest first
    expect(new Set(ids).size).toBe(29);
    for (const e of rows) {
      expect(e).toMatchObject({
        scope: "load",
        _syncId: job._syncId,
        _parentSyncJobId: job._id,
        flowExecutionGroupId: job.flowExecutionGroupId,
        code: "NOT_NULL_VIOLATION",
      });
      expect(e._childSyncJobId).toBe(tableId(e.tableName));
      expect(e.datasetName).toBe(e.tableName);
      expect(e.recordKey).toMatch(/^\d+$/);
      expect(e.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(rows.filter((e) => e.tableName === "orders")).toHaveLength(4);
  });

  it("returns [] with x-total-count 0 for a job without errors", async () => {
    const res = await api("GET", `/v1/syncJobs/${clean._id}/errors`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.headers.get("x-total-count")).toBe("0");
  });

  it("shows a failed table's extract error with the source's text verbatim", async () => {
    const res = await api("GET", `/v1/syncJobs/${failed._id}/errors`);
    const rows = parseWire(strict.errors, res.body);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ scope: "extract", code: "PLATFORM_ERROR", message: "upstream said 50% no", tableName: "ledger" });
    expect(rows[0]).not.toHaveProperty("recordKey");
  });

  it("walks every page with the keyset cursor, each page carrying the full total", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await errors(`limit=10${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.total).toBe(29);
      seen.push(...page.rows.map((e) => e._id));
      cursor = page.next;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((e) => e._id));
  });

  it("pages with limit and offset", async () => {
    const page = await errors("limit=5&offset=5");
    expect(page.rows.map((e) => e._id)).toEqual(all.slice(5, 10).map((e) => e._id));
    expect(page.total).toBe(29);
    expect(page.next).toBeTruthy();
    const past = await errors("offset=1000");
    expect(past.rows).toEqual([]);
    expect(past.total).toBe(29);
  });

  const filters: Array<[string, () => string, (e: any) => boolean]> = [
    ["_childJobId", () => `_childJobId=${tableId("orders")}`, (e) => e.tableName === "orders"],
    ["tableName", () => "tableName=customers", (e) => e.tableName === "customers"],
    ["tableName + matching _childJobId", () => `tableName=orders&_childJobId=${tableId("orders")}`, (e) => e.tableName === "orders"],
    ["tableName + other table's _childJobId", () => `tableName=orders&_childJobId=${tableId("customers")}`, () => false],
    ["unknown tableName", () => "tableName=nope", () => false],
    ["unknown _childJobId", () => `_childJobId=${newId()}`, () => false],
    ["code", () => "code=NOT_NULL_VIOLATION", () => true],
    ["unknown code", () => "code=NOPE", () => false],
    ["stage", () => "stage=load", () => true],
    ["other stage", () => "stage=extract", () => false],
    ["q, case-insensitive", () => `q=${encodeURIComponent('TABLE "ORDERS" cannot')}`, (e) => e.tableName === "orders"],
    ["q with a literal %", () => "q=%25", () => false],
    ["q with a literal _", () => "q=_", () => false],
    ["q with quotes", () => `q=${encodeURIComponent("'; drop table sync_errors; --")}`, () => false],
    ["blank filters mean none", () => "q=&code=&_childJobId=&tableName=&stage=&cursor=", () => true],
    ["code + _childJobId", () => `code=NOT_NULL_VIOLATION&_childJobId=${tableId("customers")}`, (e) => e.tableName === "customers"],
  ];
  it.each(filters)("filters by %s, x-total-count counting the matches", async (_label, query, keep) => {
    const expected = all.filter(keep).map((e) => e._id);
    const page = await errors(query());
    expect(page.rows.map((e) => e._id)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it("pages a filtered list with the cursor", async () => {
    const expected = all.filter((e) => e.tableName === "orders").map((e) => e._id);
    const first = await errors(`_childJobId=${tableId("orders")}&limit=3`);
    expect(first.total).toBe(4);
    const second = await errors(`_childJobId=${tableId("orders")}&limit=3&cursor=${first.next}`);
    expect([...first.rows, ...second.rows].map((e) => e._id)).toEqual(expected);
    expect(second.next).toBeUndefined();
  });

  const bad: Array<[string, string]> = [
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=ten", "limit"],
    ["offset=-5", "offset"],
    ["_childJobId=abc", "_childJobId"],
    ["cursor=%%%", "cursor"],
    [`cursor=${Buffer.from("e-1").toString("base64url")}`, "cursor"],
    [`cursor=${Buffer.from("e99999999999999999999").toString("base64url")}`, "cursor"],
    [`q=${"x".repeat(501)}`, "q"],
  ];
  it.each(bad)("rejects ?%s naming the parameter", async (query, field) => {
    expectApiError(await api("GET", url(query)), 400, "invalid_parameter", field);
  });

  it("answers 404 invalid_ref for an unknown or malformed parent", async () => {
    expectApiError(await api("GET", `/v1/syncJobs/${newId()}/errors`), 404, "invalid_ref");
    expectApiError(await api("GET", `/v1/syncJobs/nope/errors?limit=1`), 404, "invalid_ref");
  });
});
