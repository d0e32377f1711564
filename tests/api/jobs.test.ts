import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { api } from "../helpers/api";
import { runToEnd, sampleSync, testDb } from "../helpers/fixtures";
import {
  expectApiError,
  expectNoNulls,
  makeApiKey,
  makeQueuedJob,
  parseWire,
  stopSync,
  strict,
  waitForEnd,
  waitForProgress,
  waitForStatus,
} from "./jobs-fixtures";

/**
 * HTTP contract of the eight job endpoints (PRODUCT §3.1) and their §3.2 extensions: status codes,
 * error codes and fields, absent-not-null fields, and every 200 body against its documented schema.
 * Engine semantics (exact counters, checkpoints, retries) are tested in tests/engine.
 */

const ADMIN_ACTOR = "apiKey:test-admin"; // the key tests/setup/global-setup.ts creates
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Sync = Awaited<ReturnType<typeof sampleSync>>;
let done: Sync; // three finished runs: normal, normal, resync
let doneJobs: any[]; // their families, oldest first
let failing: Sync; // one failed run
let failedJob: any;
let slow: Sync; // throttled: runs for minutes unless canceled
let idle: Sync; // never run
let readKey: { token: string; name: string };
let writeKey: { token: string; name: string };

beforeAll(async () => {
  readKey = await makeApiKey(["sync:read"]);
  writeKey = await makeApiKey(["sync:write"]);
  done = await sampleSync([
    { name: "customers", rows: 300, badRecordRate: 0.02, changeRate: 0.1 },
    { name: "orders", rows: 120 },
  ]);
  doneJobs = [await runToEnd(done.sync.id), await runToEnd(done.sync.id), await runToEnd(done.sync.id, { runType: "resync" })];
  failing = await sampleSync([
    { name: "ledger", rows: 100, failWith: { code: "PLATFORM_ERROR", message: "upstream said no", afterRows: 50 } },
    { name: "fine", rows: 10 },
  ]);
  failedJob = await runToEnd(failing.sync.id);
  slow = await sampleSync([
    { name: "slow", rows: 100_000, rowsPerSecond: 500 },
    { name: "quick", rows: 10 },
  ]);
  idle = await sampleSync([{ name: "nothing", rows: 1 }]);
}, 120_000);

afterAll(async () => {
  if (slow) await stopSync(slow.sync.id);
});

/** Every endpoint, with a target that exists, for the auth and scope tables. */
const endpoints = () => [
  { name: "run", method: "POST", path: `/v1/syncs/${idle.sync.id}/run`, scope: "sync:write" },
  { name: "list jobs", method: "GET", path: `/v1/syncs/${done.sync.id}/syncJobs`, scope: "sync:read" },
  { name: "cancel sync jobs", method: "PUT", path: `/v1/syncs/${done.sync.id}/syncJobs/cancel`, scope: "sync:write" },
  { name: "job", method: "GET", path: `/v1/syncJobs/${doneJobs[0]._id}`, scope: "sync:read" },
  { name: "family", method: "GET", path: `/v1/syncJobs/${doneJobs[0]._id}/family`, scope: "sync:read" },
  { name: "errors", method: "GET", path: `/v1/syncJobs/${doneJobs[0]._id}/errors`, scope: "sync:read" },
  { name: "cancel job", method: "PUT", path: `/v1/syncJobs/${doneJobs[0]._id}/cancel`, scope: "sync:write" },
  { name: "latest", method: "GET", path: `/v1/integrations/${done.integration.id}/syncJobs/latest`, scope: "sync:read" },
];

describe("auth and scopes on every job endpoint", () => {
  it("answers 401 with the seed's bare bodies, and 403 insufficient_scope for a key without the scope", async () => {
    const revoked = await makeApiKey(["sync:read", "sync:write"], { revoked: true });
    const expired = await makeApiKey(["sync:read", "sync:write"], { expired: true });
    for (const e of endpoints()) {
      const none = await api(e.method, e.path, { token: null });
      expect(none.status, `${e.name} without a token`).toBe(401);
      expect(none.body, e.name).toEqual({ message: "Unauthorized" });

      for (const token of ["not-a-real-token", revoked.token, expired.token]) {
        const bad = await api(e.method, e.path, { token });
        expect(bad.status, `${e.name} with a bad token`).toBe(401);
        expect(bad.body, e.name).toEqual({ message: "Bearer Authentication Failed" });
      }
      const malformedHeader = await api(e.method, e.path, { token: null, headers: { authorization: "Basic abc" } });
      expect(malformedHeader.body, e.name).toEqual({ message: "Bearer Authentication Failed" });

      // A read-only key cannot write; a write-only key cannot read.
      const wrongKey = e.scope === "sync:read" ? writeKey : readKey;
      expectApiError(await api(e.method, e.path, { token: wrongKey.token }), 403, "insufficient_scope");
    }
    // The read-only key can read everything.
    for (const e of endpoints().filter((x) => x.scope === "sync:read")) {
      expect((await api(e.method, e.path, { token: readKey.token })).status, e.name).toBe(200);
    }
  });
});

describe("malformed and unknown ids are 404, never 500", () => {
  const ids = [
    "000000000000000000000000", // well-formed, unknown
    "abc",
    "ZZZZZZZZZZZZZZZZZZZZZZZZ",
    "6b04030462a43a951c1e7a5", // 23 hex
    "6b04030462a43a951c1e7a500", // 25 hex
    "x".repeat(3000),
    "%E2%9C%93",
    "%27%20or%201%3D1--",
    "%25",
    "null",
  ];
  const cases = (id: string) => [
    { method: "POST", path: `/v1/syncs/${id}/run`, code: "invalid_ref" },
    { method: "GET", path: `/v1/syncs/${id}/syncJobs`, code: "invalid_ref" },
    { method: "PUT", path: `/v1/syncs/${id}/syncJobs/cancel`, code: "invalid_ref" },
    { method: "GET", path: `/v1/syncJobs/${id}`, code: "invalid_ref" },
    { method: "GET", path: `/v1/syncJobs/${id}/family`, code: "invalid_ref" },
    { method: "GET", path: `/v1/syncJobs/${id}/errors`, code: "invalid_ref" },
    { method: "PUT", path: `/v1/syncJobs/${id}/cancel`, code: "invalid_ref" },
    { method: "GET", path: `/v1/integrations/${id}/syncJobs/latest`, code: "sync_job_missing_integration" },
  ];
  it.each(ids.map((id) => [id.slice(0, 30), id]))("%s", async (_label, id) => {
    for (const c of cases(id)) {
      const res = await api(c.method, c.path);
      expectApiError(res, 404, c.code);
    }
  });

  it("treats a table job id as no parent job", async () => {
    const childId = doneJobs[0].tables[0]._id;
    expectApiError(await api("GET", `/v1/syncJobs/${childId}`), 404, "invalid_ref");
    expectApiError(await api("GET", `/v1/syncJobs/${childId}/errors`), 404, "invalid_ref");
  });
});

describe("POST /v1/syncs/{_syncId}/run", () => {
  it("queues a run and answers 200 {syncId, flowExecutionGroupId, _syncJobId}", async () => {
    const res = await api("POST", `/v1/syncs/${idle.sync.id}/run`);
    expect(res.status, res.text).toBe(200);
    const body = parseWire(strict.runResponse, res.body);
    expect(body.syncId).toBe(idle.sync.id);
    const job = await waitForEnd(body._syncJobId);
    expect(job).toMatchObject({
      _id: body._syncJobId,
      _syncId: idle.sync.id,
      flowExecutionGroupId: body.flowExecutionGroupId,
      runType: "normal",
      triggeredBy: ADMIN_ACTOR,
      status: "completed",
    });
  });

  it("records the calling key as triggeredBy", async () => {
    const res = await api("POST", `/v1/syncs/${idle.sync.id}/run`, { token: writeKey.token, body: { runType: "normal" } });
    expect(res.status, res.text).toBe(200);
    const job = await waitForEnd(res.body._syncJobId);
    expect(job.triggeredBy).toBe(`apiKey:${writeKey.name}`);
  });

  it("answers a plain 200 under ?ifActive=return when nothing is active", async () => {
    const res = await api("POST", `/v1/syncs/${idle.sync.id}/run?ifActive=return`, { body: { runType: "resync" } });
    expect(res.status, res.text).toBe(200);
    parseWire(strict.runResponse, res.body);
    expect((await waitForEnd(res.body._syncJobId)).runType).toBe("resync");
  });

  it("runs a resync of only the named tables", async () => {
    const res = await api("POST", `/v1/syncs/${done.sync.id}/run`, { body: { runType: "resync", tables: ["orders"] } });
    expect(res.status, res.text).toBe(200);
    const fam = parseWire(strict.family, await waitForEnd(res.body._syncJobId));
    expect(fam.runType).toBe("resync");
    expect(fam.tables.map((t) => t.tableName)).toEqual(["orders"]);
    doneJobs.push(fam);
  });

  const badBodies: Array<[string, { body?: unknown; rawBody?: string; headers?: Record<string, string> }, number, string, string?]> = [
    ["unknown runType", { body: { runType: "full" } }, 400, "invalid_parameter", "runType"],
    ["numeric runType", { body: { runType: 5 } }, 400, "invalid_parameter", "runType"],
    ["null runType", { body: { runType: null } }, 400, "invalid_parameter", "runType"],
    ["tables not an array", { body: { tables: "orders" } }, 400, "invalid_parameter", "tables"],
    ["empty tables", { body: { tables: [] } }, 400, "invalid_parameter", "tables"],
    ["unknown table", { body: { tables: ["orders", "nope"] } }, 400, "invalid_parameter", "tables"],
    ["non-string table", { body: { tables: [5] } }, 400, "invalid_parameter", "tables.0"],
    ["broken JSON", { rawBody: '{"runType":', headers: { "content-type": "application/json" } }, 400, "invalid_json"],
    ["a JSON array", { rawBody: "[]", headers: { "content-type": "application/json" } }, 400, "invalid_parameter"],
    ["a JSON string", { rawBody: '"resync"', headers: { "content-type": "application/json" } }, 400, "invalid_parameter"],
    ["over 1 MB", { body: { runType: "normal", pad: "x".repeat(1_100_000) } }, 413, "payload_too_large"],
  ];
  it.each(badBodies)("rejects %s", async (_label, req, status, code, field) => {
    const res = await api("POST", `/v1/syncs/${done.sync.id}/run`, req);
    expectApiError(res, status, code, field);
  });

  it("rejects an unknown ifActive value, naming the parameter", async () => {
    expectApiError(await api("POST", `/v1/syncs/${done.sync.id}/run?ifActive=wait`), 400, "invalid_parameter", "ifActive");
  });

  it("answers 422 invalid_sync for a disabled sync", async () => {
    const disabled = await sampleSync([{ name: "t", rows: 1 }], { disabled: true });
    expectApiError(await api("POST", `/v1/syncs/${disabled.sync.id}/run`), 422, "invalid_sync");
    expect((await api("GET", `/v1/syncs/${disabled.sync.id}/syncJobs`)).body.totalCount).toBe(0);
  });
});

describe("a running job", () => {
  let jobId: string;

  it("shows progress, stage and duration, and no end fields", async () => {
    const res = await api("POST", `/v1/syncs/${slow.sync.id}/run`);
    expect(res.status, res.text).toBe(200);
    jobId = res.body._syncJobId;
    await waitForProgress(jobId);
    // Wait for the quick table too, so both kinds of table appear.
    const fam = parseWire(
      strict.family,
      await waitForStatus(
        jobId,
        (j) =>
          j.tables.some((t: any) => t.tableName === "quick" && t.status === "completed") &&
          j.tables.some((t: any) => t.numExtractedRecords > 0 && t.status === "running"),
      ),
    );
    expectNoNulls(fam);
    expect(fam.status).toBe("running");
    for (const absent of ["endedAt", "purgeAt", "canceledBy", "errorMessage"]) expect(fam, absent).not.toHaveProperty(absent);
    expect(fam.startedAt).toMatch(iso);
    expect(fam.durationSeconds).toBeGreaterThan(0);
    // The parent's progress is the sum over its tables (a finished table counts as fully processed).
    const sum = fam.tables.reduce((n, t) => n + t.numExtractedRecords, 0);
    expect(fam.progress).toMatchObject({ processed: sum, total: 100_010 });
    expect(fam.progress!.percentage).toBeGreaterThan(0);
    expect(fam.progress!.percentage).toBeLessThan(100);
    expect(Date.parse(fam.estimatedCompletion!)).toBeGreaterThan(Date.now() - 1000);

    const slowTable = fam.tables.find((t) => t.tableName === "slow")!;
    expect(slowTable.status).toBe("running");
    expect(["extracting", "loading"]).toContain(slowTable.stage);
    expect(slowTable.progress).toMatchObject({ processed: slowTable.numExtractedRecords, total: 100_000 });
    expect(slowTable.numAttempts).toBe(1);
    expect(slowTable).not.toHaveProperty("endedAt");
    const quick = fam.tables.find((t) => t.tableName === "quick")!;
    expect(quick).not.toHaveProperty("progress");
    expect(quick).not.toHaveProperty("stage");
    expect(quick.endedAt).toMatch(iso);

    const one = parseWire(strict.job, (await api("GET", `/v1/syncJobs/${jobId}`)).body);
    expect(one.status).toBe("running");
    expect(one.progress?.total).toBe(100_010);
    expect(one).not.toHaveProperty("endedAt");
  });

  it("answers 409 sync_job_already_queued naming the active job", async () => {
    const res = await api("POST", `/v1/syncs/${slow.sync.id}/run`, { body: { runType: "resync" } });
    expectApiError(res, 409, "sync_job_already_queued");
    expect(res.body.errors[0]._syncJobId).toBe(jobId);
  });

  it("answers 202 with the active job and alreadyActive:true under ?ifActive=return", async () => {
    const res = await api("POST", `/v1/syncs/${slow.sync.id}/run?ifActive=return`, { body: {} });
    expect(res.status, res.text).toBe(202);
    const body = parseWire(strict.alreadyActive, res.body);
    expect(body).toMatchObject({ _id: jobId, status: "running", alreadyActive: true });
    expect(body.progress?.processed).toBeGreaterThan(0);
  });

  it("lists it with progress, filters by status, and shows it as the sync's latest", async () => {
    const list = parseWire(strict.jobs, (await api("GET", `/v1/syncs/${slow.sync.id}/syncJobs?status=running,queued`)).body);
    expect(list.totalCount).toBe(1);
    expect(list.data[0]._id).toBe(jobId);
    expect(list.data[0].progress?.processed).toBeGreaterThan(0);
    const latest = parseWire(strict.latest, (await api("GET", `/v1/integrations/${slow.integration.id}/syncJobs/latest`)).body);
    expect(latest.map((j) => j._id)).toEqual([jobId]);
  });

  it("cancels with 204, then is canceled with canceledBy; a second cancel is 403 sync_job_not_cancellable", async () => {
    expectApiError(await api("PUT", `/v1/syncJobs/${jobId}/cancel`, { token: readKey.token }), 403, "insufficient_scope");
    const res = await api("PUT", `/v1/syncJobs/${jobId}/cancel`, { token: writeKey.token });
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    const fam = parseWire(strict.family, await waitForEnd(jobId, 15_000));
    expectNoNulls(fam);
    expect(fam.status).toBe("canceled");
    expect(fam.canceledBy).toBe(`apiKey:${writeKey.name}`);
    expect(fam.endedAt).toMatch(iso);
    expect(fam.purgeAt).toMatch(iso);
    expect(fam).not.toHaveProperty("progress");
    expect(fam).not.toHaveProperty("estimatedCompletion");
    expect(fam.tables.find((t) => t.tableName === "slow")!.status).toBe("canceled");

    expectApiError(await api("PUT", `/v1/syncJobs/${jobId}/cancel`), 403, "sync_job_not_cancellable");
    expectApiError(await api("PUT", `/v1/syncs/${slow.sync.id}/syncJobs/cancel`), 404, "sync_jobs_not_found");
  });

  it("cancels every active job of a sync with PUT /v1/syncs/{id}/syncJobs/cancel", async () => {
    const res = await api("POST", `/v1/syncs/${slow.sync.id}/run`);
    expect(res.status, res.text).toBe(200);
    await waitForStatus(res.body._syncJobId, (j) => j.status === "running");
    const cancel = await api("PUT", `/v1/syncs/${slow.sync.id}/syncJobs/cancel`);
    expect(cancel.status, cancel.text).toBe(204);
    const fam = await waitForEnd(res.body._syncJobId, 15_000);
    expect(fam).toMatchObject({ status: "canceled", canceledBy: ADMIN_ACTOR });
    expectApiError(await api("PUT", `/v1/syncs/${slow.sync.id}/syncJobs/cancel`), 404, "sync_jobs_not_found");
  });
});

describe("a queued job", () => {
  it("has no startedAt, endedAt, duration or progress, and cancels at once", async () => {
    const queuedSync = await sampleSync([{ name: "later", rows: 5 }]);
    const jobId = await makeQueuedJob(queuedSync.sync);
    const job = parseWire(strict.job, (await api("GET", `/v1/syncJobs/${jobId}`)).body);
    expectNoNulls(job);
    expect(job.status).toBe("queued");
    for (const absent of ["startedAt", "endedAt", "purgeAt", "durationSeconds", "progress", "estimatedCompletion", "canceledBy"]) {
      expect(job, absent).not.toHaveProperty(absent);
    }
    const fam = parseWire(strict.family, (await api("GET", `/v1/syncJobs/${jobId}/family`)).body);
    expect(fam.tables).toHaveLength(1);
    expect(fam.tables[0]).toMatchObject({ tableName: "later", status: "queued", numAttempts: 0 });
    expect(fam.tables[0]).not.toHaveProperty("startedAt");

    // A queued job blocks a new run like a running one.
    expectApiError(await api("POST", `/v1/syncs/${queuedSync.sync.id}/run`), 409, "sync_job_already_queued");
    const again = await api("POST", `/v1/syncs/${queuedSync.sync.id}/run?ifActive=return`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ _id: jobId, status: "queued", alreadyActive: true });

    expect((await api("PUT", `/v1/syncs/${queuedSync.sync.id}/syncJobs/cancel`)).status).toBe(204);
    const after = parseWire(strict.job, (await api("GET", `/v1/syncJobs/${jobId}`)).body);
    expect(after).toMatchObject({ status: "canceled", canceledBy: ADMIN_ACTOR });
    expect(after.endedAt).toMatch(iso);
  });
});

describe("finished jobs", () => {
  it("GET /v1/syncJobs/{id}: a completed job carries every seed field and no progress", async () => {
    const [first] = doneJobs;
    const res = await api("GET", `/v1/syncJobs/${first._id}`);
    expect(res.status).toBe(200);
    expectNoNulls(res.body);
    const job = parseWire(strict.job, res.body);
    expect(job).toMatchObject({
      _id: first._id,
      _syncId: done.sync.id,
      _integrationId: done.integration.id,
      runType: "normal",
      status: "completed",
      triggeredBy: ADMIN_ACTOR,
      numExtractedRecords: 420,
      numLoadedRecords: 414,
      numErrors: 6,
      numTablesSynced: 2,
      numInsertedRecords: 414,
    });
    for (const f of ["createdAt", "startedAt", "endedAt", "purgeAt"] as const) expect(job[f], f).toMatch(iso);
    expect(Date.parse(job.startedAt!)).toBeGreaterThanOrEqual(Date.parse(job.createdAt));
    expect(Date.parse(job.endedAt!)).toBeGreaterThanOrEqual(Date.parse(job.startedAt!));
    expect(Date.parse(job.purgeAt!)).toBeGreaterThan(Date.parse(job.endedAt!));
    expect(job.durationSeconds).toBeCloseTo((Date.parse(job.endedAt!) - Date.parse(job.startedAt!)) / 1000, 0);
    for (const absent of ["progress", "estimatedCompletion", "canceledBy", "errorMessage"]) expect(job, absent).not.toHaveProperty(absent);
  });

  it("GET /v1/syncJobs/{id}/family: tables in the sync's order, counters adding up to the parent's", async () => {
    const res = await api("GET", `/v1/syncJobs/${doneJobs[0]._id}/family`);
    expect(res.status).toBe(200);
    expectNoNulls(res.body);
    const fam = parseWire(strict.family, res.body);
    expect(fam.tables.map((t) => t.tableName)).toEqual(["customers", "orders"]);
    for (const key of ["numExtractedRecords", "numLoadedRecords", "numErrors"] as const) {
      expect(
        fam.tables.reduce((n, t) => n + t[key], 0),
        key,
      ).toBe(fam[key]);
    }
    for (const t of fam.tables) {
      expect(t).toMatchObject({ status: "completed", numAttempts: 1 });
      expect(t.startedAt).toMatch(iso);
      expect(t.endedAt).toMatch(iso);
      expect(t).not.toHaveProperty("stage");
      expect(t).not.toHaveProperty("errorMessage");
    }
    // A delta run that moved nothing for a table still lists it.
    const delta = parseWire(strict.family, (await api("GET", `/v1/syncJobs/${doneJobs[1]._id}/family`)).body);
    expect(delta.tables.find((t) => t.tableName === "orders")).toMatchObject({ numExtractedRecords: 0, status: "completed" });
  });

  it("a failed job and its failed table carry errorMessage", async () => {
    const fam = parseWire(strict.family, (await api("GET", `/v1/syncJobs/${failedJob._id}/family`)).body);
    expectNoNulls(fam);
    expect(fam).toMatchObject({ status: "failed", errorMessage: "upstream said no" });
    const ledger = fam.tables.find((t) => t.tableName === "ledger")!;
    expect(ledger).toMatchObject({ status: "failed", errorMessage: "upstream said no" });
    expect(fam.tables.find((t) => t.tableName === "fine")).not.toHaveProperty("errorMessage");
    const job = parseWire(strict.job, (await api("GET", `/v1/syncJobs/${failedJob._id}`)).body);
    expect(job.errorMessage).toBe("upstream said no");
  });
});

describe("GET /v1/syncs/{_syncId}/syncJobs", () => {
  const path = () => `/v1/syncs/${done.sync.id}/syncJobs`;

  it("lists every job newest first with the total", async () => {
    const res = await api("GET", path());
    expect(res.status).toBe(200);
    expectNoNulls(res.body);
    const list = parseWire(strict.jobs, res.body);
    expect(list.totalCount).toBe(doneJobs.length);
    expect(list.data.map((j) => j._id)).toEqual(doneJobs.map((j) => j._id).reverse());
    expect(list).not.toHaveProperty("nextCursor");
  });

  it("pages with limit/offset and with the keyset cursor, the total staying the full count", async () => {
    const all = (await api("GET", path())).body.data.map((j: any) => j._id);
    const page1 = parseWire(strict.jobs, (await api("GET", `${path()}?limit=2`)).body);
    expect(page1.data.map((j) => j._id)).toEqual(all.slice(0, 2));
    expect(page1.totalCount).toBe(all.length);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = parseWire(strict.jobs, (await api("GET", `${path()}?limit=2&cursor=${page1.nextCursor}`)).body);
    expect(page2.data.map((j) => j._id)).toEqual(all.slice(2, 4));
    expect(page2.totalCount).toBe(all.length);
    expect(page2).not.toHaveProperty("nextCursor"); // 4 jobs: this was the last page

    const offset = parseWire(strict.jobs, (await api("GET", `${path()}?limit=1&offset=1`)).body);
    expect(offset.data.map((j) => j._id)).toEqual([all[1]]);
    const past = parseWire(strict.jobs, (await api("GET", `${path()}?offset=100`)).body);
    expect(past).toMatchObject({ data: [], totalCount: all.length });
  });

  it("filters by one or several statuses; totalCount counts the filtered set", async () => {
    const completed = parseWire(strict.jobs, (await api("GET", `${path()}?status=completed`)).body);
    expect(completed.totalCount).toBe(doneJobs.length);
    const none = parseWire(strict.jobs, (await api("GET", `${path()}?status=failed,canceled`)).body);
    expect(none).toEqual({ data: [], totalCount: 0 });
    const failed = parseWire(strict.jobs, (await api("GET", `/v1/syncs/${failing.sync.id}/syncJobs?status=queued, failed`)).body);
    expect(failed.data.map((j) => j._id)).toEqual([failedJob._id]);
    expect(failed.data[0].errorMessage).toBe("upstream said no");
    const blank = parseWire(strict.jobs, (await api("GET", `${path()}?status=`)).body);
    expect(blank.totalCount).toBe(doneJobs.length);
  });

  it("answers 200 with an empty list for a sync that never ran", async () => {
    const res = await api("GET", `/v1/syncs/${(await sampleSync([{ name: "t", rows: 1 }])).sync.id}/syncJobs`);
    expect(parseWire(strict.jobs, res.body)).toEqual({ data: [], totalCount: 0 });
  });

  const badQueries: Array<[string, string]> = [
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["limit=abc", "limit"],
    ["limit=1.5", "limit"],
    ["limit=", "limit"],
    ["offset=-1", "offset"],
    ["offset=x", "offset"],
    ["status=done", "status"],
    ["status=completed,nope", "status"],
    ["cursor=not-a-cursor!", "cursor"],
    [`cursor=${Buffer.from("2026-01-01|abc").toString("base64url")}`, "cursor"],
    [`cursor=${"A".repeat(300)}`, "cursor"],
  ];
  it.each(badQueries)("rejects ?%s naming the parameter", async (query, field) => {
    expectApiError(await api("GET", `${path()}?${query}`), 400, "invalid_parameter", field);
  });
});

describe("GET /v1/integrations/{_integrationId}/syncJobs/latest", () => {
  it("returns a bare array with the newest job of each sync that has run", async () => {
    const db = testDb();
    const integration = await createIntegration(db, "latest-two");
    const source = { type: "sample" as const, seed: 1, tables: [{ name: "t", rows: 5 }] };
    const a = await createSync(db, {
      _integrationId: integration.id,
      name: "a",
      source,
      destination: { type: "postgres", schema: `wh_la_${newId().slice(-6)}` },
    });
    const b = await createSync(db, {
      _integrationId: integration.id,
      name: "b",
      source,
      destination: { type: "postgres", schema: `wh_lb_${newId().slice(-6)}` },
    });
    await createSync(db, {
      _integrationId: integration.id,
      name: "never run",
      source,
      destination: { type: "postgres", schema: `wh_lc_${newId().slice(-6)}` },
    });

    const url = `/v1/integrations/${integration.id}/syncJobs/latest`;
    const empty = await api("GET", url);
    expect(empty.status).toBe(204);
    expect(empty.text).toBe("");

    await runToEnd(a.id);
    const aLatest = await runToEnd(a.id);
    const bLatest = await runToEnd(b.id);
    const res = await api("GET", url);
    expect(res.status).toBe(200);
    expectNoNulls(res.body);
    const latest = parseWire(strict.latest, res.body);
    expect(latest.map((j) => [j._syncId, j._id])).toEqual([
      [a.id, aLatest._id],
      [b.id, bLatest._id],
    ]);
    expect(latest.every((j) => j._integrationId === integration.id)).toBe(true);
  });

  it("answers 404 sync_job_invalid_integration_id for an integration without syncs", async () => {
    const integration = await createIntegration(testDb(), "no-syncs");
    expectApiError(await api("GET", `/v1/integrations/${integration.id}/syncJobs/latest`), 404, "sync_job_invalid_integration_id");
  });

  it("answers 404 sync_job_missing_integration for an unknown integration", async () => {
    expectApiError(await api("GET", `/v1/integrations/${newId()}/syncJobs/latest`), 404, "sync_job_missing_integration");
  });
});

describe("PUT cancel on finished jobs and idle syncs", () => {
  it("refuses completed and failed jobs with 403 sync_job_not_cancellable", async () => {
    expectApiError(await api("PUT", `/v1/syncJobs/${doneJobs[0]._id}/cancel`), 403, "sync_job_not_cancellable");
    expectApiError(await api("PUT", `/v1/syncJobs/${failedJob._id}/cancel`), 403, "sync_job_not_cancellable");
    // Nothing changed.
    const job = parseWire(strict.job, (await api("GET", `/v1/syncJobs/${doneJobs[0]._id}`)).body);
    expect(job.status).toBe("completed");
    expect(job).not.toHaveProperty("canceledBy");
  });

  it("answers 404 sync_jobs_not_found when the sync has nothing to cancel", async () => {
    expectApiError(await api("PUT", `/v1/syncs/${done.sync.id}/syncJobs/cancel`), 404, "sync_jobs_not_found");
  });

  it("ignores a body on cancel", async () => {
    const res = await api("PUT", `/v1/syncs/${done.sync.id}/syncJobs/cancel`, { rawBody: "{not json" });
    expectApiError(res, 404, "sync_jobs_not_found");
  });
});

describe("OpenAPI", () => {
  it("documents the eight job paths with their status codes", async () => {
    const res = await api("GET", "/v1/openapi.json", { token: null });
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    const expected: Array<[string, string, string[]]> = [
      ["/v1/syncs/{_syncId}/run", "post", ["200", "202", "400", "401", "403", "404", "409", "422"]],
      ["/v1/syncs/{_syncId}/syncJobs", "get", ["200", "400", "401", "403", "404"]],
      ["/v1/syncs/{_syncId}/syncJobs/cancel", "put", ["204", "401", "403", "404"]],
      ["/v1/syncJobs/{_syncJobId}", "get", ["200", "401", "403", "404"]],
      ["/v1/syncJobs/{_syncJobId}/family", "get", ["200", "401", "403", "404"]],
      ["/v1/syncJobs/{_parentJobId}/errors", "get", ["200", "400", "401", "403", "404"]],
      ["/v1/syncJobs/{_syncJobId}/cancel", "put", ["204", "401", "403", "404"]],
      ["/v1/integrations/{_integrationId}/syncJobs/latest", "get", ["200", "204", "401", "403", "404"]],
    ];
    for (const [path, method, codes] of expected) {
      expect(paths[path]?.[method], `${method} ${path}`).toBeDefined();
      for (const code of codes) expect(paths[path][method].responses, `${method} ${path} ${code}`).toHaveProperty(code);
    }
    for (const name of [
      "SyncJob",
      "SyncJobFamily",
      "SyncTableJob",
      "SyncError",
      "SyncRunRequest",
      "SyncRunResponse",
      "SyncJobsResponse",
      "Error",
    ]) {
      expect(res.body.components.schemas, name).toHaveProperty(name);
    }
    expect(paths["/v1/syncJobs/{_parentJobId}/errors"].get.responses["200"].headers).toHaveProperty("x-total-count");
  });
});
