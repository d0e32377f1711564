import { ADMIN_TOKEN, BASE_URL, SUPPORT_STATE } from "./support/env";
import { expect, test } from "./support/test";

/** The endpoints the dashboard added to /v1, checked over HTTP (no browser needed). */

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * Reads an SSE stream until `until` matches a frame, the server ends it (`ended`) or the timeout
 * passes; returns the frames.
 */
async function readEvents(url: string, until: (frame: string) => boolean, timeoutMs = 30_000): Promise<string[] & { ended?: boolean }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const frames: string[] & { ended?: boolean } = [];
  try {
    const res = await fetch(url, { headers: auth, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        frames.ended = true;
        break;
      }
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        frames.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (until(frames.at(-1)!)) return frames;
      }
    }
  } catch (e) {
    if (!abort.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return frames;
}

test("the event stream announces itself, then carries a job from running to completed", async ({ seed }) => {
  const integration = await seed.integration("sse");
  const sync = await seed.sync(integration._id, [{ name: "items", rows: 500 }]);
  let jobId = "";
  const done = readEvents(`${BASE_URL}/v1/events?integrationId=${integration._id}`, (f) => {
    if (f.includes("event: ready") && !jobId) void seed.run(sync._id).then((id) => (jobId = id));
    return f.includes('"kind":"job"') && f.includes('"status":"completed"');
  });
  const frames = await done;
  expect(frames[0]).toContain("event: ready");
  const events = frames.filter((f) => f.startsWith("data: ")).map((f) => JSON.parse(f.slice(6)));
  expect(events.length).toBeGreaterThan(1);
  for (const e of events) expect(e).toMatchObject({ syncId: sync._id, integrationId: integration._id, syncJobId: jobId });
  expect(events.map((e) => e.status)).toContain("running");
  expect(events.at(-1)).toMatchObject({ kind: "job", status: "completed" });
});

test("a job's own stream ends after the job's final status, and at once for a job that has ended", async ({ seed }) => {
  const integration = await seed.integration("sse-end");
  const sync = await seed.sync(integration._id, [{ name: "items", rows: 3000, rowsPerSecond: 1500 }]);
  const jobId = await seed.run(sync._id);
  const live = await readEvents(`${BASE_URL}/v1/syncJobs/${jobId}/events`, () => false, 60_000);
  expect(live.ended).toBe(true);
  expect(live[0]).toContain("event: ready");
  expect(live.at(-1)).toBe("event: end\ndata: {}");
  const events = live.filter((f) => f.startsWith("data: ")).map((f) => JSON.parse(f.slice(6)));
  expect(events.filter((e) => e.kind === "progress").length).toBeGreaterThan(0);
  expect(events.at(-1)).toMatchObject({ kind: "job", syncJobId: jobId, status: "completed" });

  const late = await readEvents(`${BASE_URL}/v1/syncJobs/${jobId}/events`, () => false, 10_000);
  expect(late.ended).toBe(true);
  expect(late.map((f) => f.replace(/^retry: \d+\n/, ""))).toEqual([
    "event: ready\ndata: {}",
    `data: ${JSON.stringify({ kind: "job", syncJobId: jobId, syncId: sync._id, integrationId: integration._id, status: "completed" })}`,
    "event: end\ndata: {}",
  ]);
});

test("event streams need a session or token with sync:read and a known job", async ({ request }) => {
  expect((await request.get("/v1/syncJobs/ffffffffffffffffffffffff/events", { headers: auth })).status()).toBe(404);
  expect((await request.get("/v1/events?integrationId=nope", { headers: auth })).status()).toBe(400);
  const anon = await fetch(`${BASE_URL}/v1/events`);
  expect(anon.status).toBe(401);
  expect(await anon.json()).toEqual({ message: "Unauthorized" });
});

test("error summary and CSV export follow the list's filters", async ({ seed, request }) => {
  const integration = await seed.integration("summary");
  const sync = await seed.sync(integration._id, [
    { name: "alpha", rows: 1000, badRecordRate: 0.01 },
    { name: "beta", rows: 500, badRecordRate: 0.01 },
    { name: "gamma", rows: 100, failWith: { code: "PLATFORM_ERROR", message: 'upstream said "no", twice', afterRows: 10 } },
  ]);
  const job = await seed.waitForJob(await seed.run(sync._id));
  const beta = job.tables.find((t) => t.tableName === "beta")!;

  const summary = await (await request.get(`/v1/syncJobs/${job._id}/errors/summary`, { headers: auth })).json();
  expect(summary.byCode).toEqual([
    { code: "NOT_NULL_VIOLATION", count: 15 },
    { code: "PLATFORM_ERROR", count: 1 },
  ]);
  expect(summary.byTable).toContainEqual({ tableName: "beta", _childJobId: beta._id, count: 5 });
  // A facet counts across its own values: filtering by code still lists every code.
  const byCode = await (await request.get(`/v1/syncJobs/${job._id}/errors/summary?code=PLATFORM_ERROR`, { headers: auth })).json();
  expect(byCode.byCode).toHaveLength(2);
  expect(byCode.byTable).toEqual([{ tableName: "gamma", _childJobId: job.tables.find((t) => t.tableName === "gamma")!._id, count: 1 }]);

  const csv = await request.get(`/v1/syncJobs/${job._id}/errors/export?code=PLATFORM_ERROR`, { headers: auth });
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(',"upstream said ""no"", twice",'); // RFC 4180 quoting
  const all = (await (await request.get(`/v1/syncJobs/${job._id}/errors/export`, { headers: auth })).text()).trim().split("\r\n");
  expect(all).toHaveLength(17);

  for (const path of ["errors/summary", "errors/export"]) {
    const res = await request.get(`/v1/syncJobs/ffffffffffffffffffffffff/${path}`, { headers: auth });
    expect(res.status()).toBe(404);
    expect((await res.json()).errors[0].code).toBe("invalid_ref");
  }
});

test("checkpoints list where each table's next run starts", async ({ seed, request }) => {
  const integration = await seed.integration("checkpoints");
  const sync = await seed.sync(integration._id, [
    { name: "one", rows: 100 },
    { name: "two", rows: 50 },
  ]);
  expect(await (await request.get(`/v1/syncs/${sync._id}/checkpoints`, { headers: auth })).json()).toEqual([]);
  await seed.waitForJob(await seed.run(sync._id));
  const cps = await (await request.get(`/v1/syncs/${sync._id}/checkpoints`, { headers: auth })).json();
  expect(cps.map((c: { tableName: string }) => c.tableName)).toEqual(["one", "two"]);
  for (const c of cps) expect(Date.parse(c.updatedAt)).not.toBeNaN();
  expect((await request.get("/v1/syncs/ffffffffffffffffffffffff/checkpoints", { headers: auth })).status()).toBe(404);
});

test.describe("users endpoint", () => {
  test("admins list and create users; bad input names the field", async ({ request }) => {
    const email = `u-${Date.now().toString(36)}@e2e.test`;
    const created = await request.post("/v1/users", { headers: auth, data: { email, password: "long-enough-pw", role: "support" } });
    expect(created.status()).toBe(201);
    expect(await created.json()).toMatchObject({ email, role: "support" });
    const dup = await request.post("/v1/users", { headers: auth, data: { email, password: "long-enough-pw", role: "support" } });
    expect(dup.status()).toBe(409);
    const bad = await request.post("/v1/users", { headers: auth, data: { email, password: "x", role: "support" } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).errors[0].field).toBe("password");
    const list = await (await request.get("/v1/users", { headers: auth })).json();
    expect(list.data.map((u: { email: string }) => u.email)).toContain(email);
    expect(JSON.stringify(list)).not.toContain("password");
  });

  test.describe("as support", () => {
    test.use({ storageState: SUPPORT_STATE });
    test("support users cannot list users", async ({ page }) => {
      const res = await page.request.get("/v1/users");
      expect(res.status()).toBe(403);
      expect((await res.json()).errors[0].code).toBe("insufficient_scope");
    });
  });
});
