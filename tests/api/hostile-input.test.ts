import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { describeForLog } from "../../lib/api/request-guards";
import { api } from "../helpers/api";
import { testDb } from "../helpers/fixtures";

/**
 * Strings Postgres cannot store (U+0000, lone surrogates) and impossible cursors are a 400 naming
 * the field on every route, never a 500 — and an unexpected 500 logs nothing a caller sent.
 */
const uid = () => randomBytes(4).toString("hex");
const SECRET = `pw_${uid()}_hostile`;
const NUL = "x\u0000y";
const LONE = "a\ud800b";

function expectRefused(res: { status: number; body: any; text: string }, field: string, status = 400) {
  expect(res.status, res.text).toBe(status);
  expect(res.body?.errors?.[0], res.text).toMatchObject({ code: "invalid_parameter", field });
  expect(typeof res.body.errors[0].message).toBe("string");
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

let integrationId: string;
let syncId: string;
let jobId: string;

beforeAll(async () => {
  const integ = await api("POST", "/v1/integrations", { body: { name: `hostile-${uid()}` } });
  expect(integ.status, integ.text).toBe(201);
  integrationId = integ.body._id;
  const sync = await api("POST", "/v1/syncs", {
    body: {
      _integrationId: integrationId,
      name: `hostile-${uid()}`,
      source: { type: "sample", seed: 3, tables: [{ name: "customers", rows: 20, badRecordRate: 0.1 }] },
      destination: { type: "postgres", schema: `wh_h_${uid()}` },
    },
  });
  expect(sync.status, sync.text).toBe(201);
  syncId = sync.body._id;
  const run = await api("POST", `/v1/syncs/${syncId}/run`);
  expect(run.status, run.text).toBe(200);
  jobId = run.body._syncJobId;
});

describe("strings Postgres cannot store", () => {
  it.each([
    ["a NUL", NUL],
    ["a lone high surrogate", LONE],
    ["a lone low surrogate", "\udc00"],
  ])("%s in a JSON body is a 400 naming the field, on every kind of write", async (_label, bad) => {
    const syncBody = (name: string) => ({
      _integrationId: integrationId,
      name,
      source: { type: "sample", tables: [{ name: "t", rows: 1 }] },
    });
    expectRefused(await api("POST", "/v1/syncs", { body: syncBody(bad) }), "name");
    expectRefused(await api("PATCH", `/v1/syncs/${syncId}`, { body: { name: bad } }), "name");
    expectRefused(await api("PATCH", `/v1/syncs/${syncId}`, { body: { description: bad } }), "description");
    expectRefused(
      await api("POST", "/v1/syncs", { body: { ...syncBody("ok"), source: { type: "sample", tables: [{ name: bad, rows: 1 }] } } }),
      "source.tables.0.name",
    );
    expectRefused(await api("POST", "/v1/integrations", { body: { name: bad } }), "name");
    expectRefused(await api("PATCH", `/v1/integrations/${integrationId}`, { body: { name: bad } }), "name");
    expectRefused(await api("POST", "/v1/apiKeys", { body: { name: bad, scopes: ["sync:read"] } }), "name");
    expectRefused(await api("POST", `/v1/syncs/${syncId}/run`, { body: { tables: [bad] } }), "tables.0");
    expectRefused(await api("PUT", `/v1/syncs/${syncId}/schedule`, { body: { cron: "0 * * * *", timezone: bad } }), "timezone");
    expectRefused(
      await api("POST", "/api/auth/sign-in", { token: null, body: { email: `a${bad}@example.com`, password: "whatever-123" } }),
      "email",
    );
    // The reproduction: a bad name beside a stored source url used to fail inside the INSERT (a 500
    // whose log line carried the url); now nothing reaches the database.
    const pgSource = {
      type: "postgres",
      url: `postgres://reader:${SECRET}@db.example.com:5432/shop`,
      schema: "public",
      tables: [{ name: "t", primaryKey: "id" }],
    };
    const leaked = await api("POST", "/v1/syncs", { body: { ...syncBody(bad), source: pgSource } });
    expectRefused(leaked, "name");
    expect(leaked.text).not.toContain(SECRET);
    // The sync is untouched.
    const after = await api("GET", `/v1/syncs/${syncId}`);
    expect(after.body.name).not.toContain("\u0000");
  });

  it("a NUL in a key (not only a value) is refused", async () => {
    const res = await api("PATCH", `/v1/syncs/${syncId}`, {
      rawBody: '{"na\\u0000me":"x"}',
      headers: { "content-type": "application/json" },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors[0].code).toBe("invalid_parameter");
  });

  it.each(["q", "code", "stage", "tableName"])("%s=%00 on the errors list is a 400 naming it", async (param) => {
    expectRefused(await api("GET", `/v1/syncJobs/${jobId}/errors?${param}=%00`), param);
    expectRefused(await api("GET", `/v1/syncJobs/${jobId}/errors?${param}=a%00b`), param);
    expectRefused(await api("GET", `/v1/syncJobs/${jobId}/errors/summary?${param}=%00`), param);
  });

  it("the CSV export with q=%00 is a 400 envelope, not a broken stream", async () => {
    const res = await api("GET", `/v1/syncJobs/${jobId}/errors/export?q=%00`);
    expectRefused(res, "q");
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.text).not.toContain("occurredAt");
  });

  it("a NUL in a path id or any other query parameter is a 400, not a 500", async () => {
    expectRefused(await api("GET", `/v1/syncs/%00`), "_syncId");
    expectRefused(await api("GET", `/v1/syncJobs/abc%00def/family`), "_syncJobId");
    expectRefused(await api("GET", `/v1/syncs?_integrationId=%00`), "_integrationId");
    expectRefused(await api("GET", `/v1/syncs/${syncId}/syncJobs?status=%00`), "status");
  });
});

describe("query parameters an endpoint does not know", () => {
  it("are a 400 naming the parameter and the known one it looks like, not an answer with everything", async () => {
    const misspelled = await api("GET", "/v1/syncs?integrationId=0123456789abcdef01234567&limit=1");
    expect(misspelled.status, misspelled.text).toBe(400);
    expect(misspelled.body.errors[0]).toMatchObject({
      code: "invalid_parameter",
      field: "integrationId",
      message: "Unknown query parameter integrationId (did you mean _integrationId?)",
    });
    const unknown = await api("GET", `/v1/syncs/${syncId}/syncJobs?state=failed`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: "state", message: "Unknown query parameter state" });
    // The known ones still work.
    expect((await api("GET", "/v1/syncs?_integrationId=0123456789abcdef01234567&limit=1")).status).toBe(404);
    expect((await api("GET", `/v1/syncs/${syncId}/syncJobs?status=failed&limit=5`)).status).toBe(200);
  });
});

describe("cursors", () => {
  it.each([
    ["Feb 30", b64("2026-02-30T10:00:00.000000Z|0123456789abcdef01234567")],
    ["hour 24", b64("2026-02-28T24:00:00.000000Z|0123456789abcdef01234567")],
    ["year 0", b64("0000-01-01T00:00:00.000000Z|0123456789abcdef01234567")],
    ["month 13", b64("2026-13-01T00:00:00.000000Z|0123456789abcdef01234567")],
    ["garbage", "!!not-base64!!"],
    ["base64 of nothing useful", b64("hello")],
  ])("a job-history cursor for %s is 400 invalid_parameter naming cursor", async (_label, cursor) => {
    expectRefused(await api("GET", `/v1/syncs/${syncId}/syncJobs?cursor=${encodeURIComponent(cursor)}`), "cursor");
  });

  it.each([
    ["a date", b64("2026-02-30T10:00:00.000000Z|0123456789abcdef01234567")],
    ["garbage", "%%%"],
    ["a huge id", b64("e99999999999999999999")],
    ["a negative id", b64("e-1")],
  ])("an errors cursor holding %s is 400 invalid_parameter naming cursor", async (_label, cursor) => {
    expectRefused(await api("GET", `/v1/syncJobs/${jobId}/errors?cursor=${encodeURIComponent(cursor)}`), "cursor");
  });

  it("a real cursor still pages", async () => {
    const first = await api("GET", `/v1/syncs/${syncId}/syncJobs?limit=1`);
    expect(first.status, first.text).toBe(200);
  });
});

describe("the 500 fallback's log line", () => {
  it("describes a failed query by class, code and message only, never its parameters", async () => {
    // A real failed query through drizzle: the wrapper error's message embeds every parameter.
    const url = `postgres://owner:${SECRET}@db.internal:5432/app`;
    let caught: unknown;
    try {
      // The shape of the old failure: a stored url and a NUL-bearing name as parameters of one statement.
      await testDb().execute(sql`select ${JSON.stringify({ url })}::jsonb as source, ${"x\u0000"}::text as name`);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(String((caught as Error).message)).toContain(SECRET); // what used to be logged
    const line = JSON.stringify(describeForLog(caught));
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain("owner:");
    const described = describeForLog(caught);
    expect(described.errClass).toMatch(/DrizzleQueryError > \w+/);
    expect(described.code).toMatch(/^[0-9A-Z]{5}$/);
  });

  it("scrubs quoted values and url credentials out of a driver message", async () => {
    let caught: unknown;
    try {
      await testDb().execute(sql`select ${`postgres://u:${SECRET}@h/db`}::int`);
    } catch (e) {
      caught = e;
    }
    const line = JSON.stringify(describeForLog(caught));
    expect(line).toContain("22P02"); // invalid_text_representation
    expect(line).not.toContain(SECRET);
  });
});

describe("paths", () => {
  it.each(["/v1/syncs/%C3%28", "/v1/syncs/%ED%A0%80", "/v1/syncJobs/%FF/errors/export", "/v1/apiKeys/%E0%A4%A"])(
    "%s (not valid percent-encoded UTF-8) is a 400 envelope, not a bare 500",
    async (p) => {
      const res = await api("GET", p);
      expect(res.status, res.text).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: "invalid_parameter", field: "path" });
    },
  );

  it("an unknown /v1 path is a 404 in the envelope, not the HTML not-found page", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await api(method, "/v1/no-such-thing/here");
      expect(res.status, res.text).toBe(404);
      expect(res.body.errors[0].code).toBe("not_found");
    }
  });
});

describe("page headers", () => {
  it("pages forbid framing and sniffing, set a CSP and a referrer policy", async () => {
    for (const p of ["/sign-in", "/"]) {
      const res = await fetch(`${inject("baseUrl")}${p}`, { redirect: "manual" });
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*\*/);
    }
  });
});
