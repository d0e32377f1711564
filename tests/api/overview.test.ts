import { describe, expect, it } from "vitest";
import { overviewResponse } from "../../lib/contracts/overview";
import { createSync } from "../../lib/syncs/create";
import { api } from "../helpers/api";
import { runToEnd, testDb } from "../helpers/fixtures";

const uid = () => Math.random().toString(36).slice(2, 8);

async function newKey(scopes: string[]) {
  const res = await api("POST", "/v1/apiKeys", { body: { name: `overview-${uid()}`, scopes } });
  expect(res.status, res.text).toBe(201);
  return res.body.token as string;
}

describe("GET /v1/overview", () => {
  it("counts each sync in one health bucket per integration and lists the latest failures first", async () => {
    const integration = await api("POST", "/v1/integrations", { body: { name: `overview ${uid()}` } });
    const id = integration.body._id as string;
    const make = (name: string, tables: Record<string, unknown>[], disabled = false) =>
      createSync(testDb(), {
        _integrationId: id,
        name,
        source: { type: "sample", seed: 3, tables: tables as never },
        destination: { type: "postgres", schema: `wh_ov_${uid()}` },
        disabled,
      });
    const ok = await make("healthy", [{ name: "a", rows: 20, badRecordRate: 0.1 }]);
    const broken = await make("broken", [
      { name: "good", rows: 10 },
      { name: "bad", rows: 10, failWith: { code: "SOURCE_REFUSED", message: "refused in a test", afterRows: 2 } },
    ]);
    await make("never", [{ name: "n", rows: 5 }]);
    await make("off", [{ name: "o", rows: 5 }], true);
    expect((await runToEnd(ok.id)).status).toBe("completed");
    const failed = await runToEnd(broken.id);
    expect(failed.status).toBe("failed");

    const res = await api("GET", "/v1/overview");
    expect(res.status, res.text).toBe(200);
    const body = overviewResponse.parse(res.body);
    const mine = body.integrations.find((i) => i._id === id)!;
    expect(mine).toMatchObject({ numSyncs: 4, failing: 1, running: 0, neverRun: 1, disabled: 1, healthy: 1, withRecordErrors: 1 });
    expect(mine.lastFailureAt).toBe(failed.endedAt);
    expect(body.totals.numSyncs).toBe(body.integrations.reduce((n, i) => n + i.numSyncs, 0));

    expect(body.latestFailures[0]).toMatchObject({
      _syncJobId: failed._id,
      _syncId: broken.id,
      syncName: "broken",
      _integrationId: id,
      integrationName: integration.body.name,
      failedTables: ["bad"],
      syncRecovered: false,
    });
    const ends = body.latestFailures.map((f) => Date.parse(f.endedAt));
    expect(ends).toEqual([...ends].sort((a, b) => b - a));

    // After a completed run of the same sync the failure stays listed, marked as recovered.
    await api("PATCH", `/v1/syncs/${broken.id}`, {
      body: { source: { type: "sample", seed: 3, tables: [{ name: "good", rows: 10 }, { name: "bad", rows: 10 }] } },
    });
    expect((await runToEnd(broken.id)).status).toBe("completed");
    const after = overviewResponse.parse((await api("GET", "/v1/overview")).body);
    expect(after.latestFailures.find((f) => f._syncJobId === failed._id)?.syncRecovered).toBe(true);
    expect(after.integrations.find((i) => i._id === id)).toMatchObject({ failing: 0, healthy: 2 });
  });

  it("bounds the failure list and refuses bad input with the envelope", async () => {
    expect((await api("GET", "/v1/overview?failures=0")).body.latestFailures).toEqual([]);
    const bad = await api("GET", "/v1/overview?failures=101");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: "invalid_parameter", field: "failures" });
    expect((await api("GET", "/v1/overview?failures=abc")).status).toBe(400);
  });

  it("needs sync:read", async () => {
    expect((await api("GET", "/v1/overview", { token: null })).status).toBe(401);
    const adminOnly = await newKey(["admin"]);
    const denied = await api("GET", "/v1/overview", { token: adminOnly });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe("insufficient_scope");
    expect((await api("GET", "/v1/overview", { token: await newKey(["sync:read"]) })).status).toBe(200);
  });

  it("is in the OpenAPI document with its scope and an example", async () => {
    const doc = (await api("GET", "/v1/openapi.json")).body;
    const op = doc.paths["/v1/overview"].get;
    expect(op["x-required-scope"]).toBe("sync:read");
    expect(op.responses["200"].content["application/json"].example.latestFailures).toHaveLength(1);
  });
});

describe("pages without a session", () => {
  it("do not put a sync's or integration's name in the HTML", async () => {
    const name = `Private ${uid()}`;
    const integration = await api("POST", "/v1/integrations", { body: { name: `${name} integration` } });
    const sync = await createSync(testDb(), {
      _integrationId: integration.body._id,
      name: `${name} sync`,
      source: { type: "sample", seed: 1, tables: [{ name: "t", rows: 1 }] },
      destination: { type: "postgres", schema: `wh_ov_${uid()}` },
    });
    for (const path of [`/syncs/${sync.id}`, `/integrations/${integration.body._id}`]) {
      const res = await api("GET", path, { token: null, headers: { accept: "text/html" } });
      expect(res.text, path).not.toContain(name);
      expect(res.text).toMatch(/<title>[^<]*Sign in/);
    }
  });
});
