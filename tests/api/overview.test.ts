import { describe, expect, it } from "vitest";
import { OVERVIEW_MAX_INTEGRATIONS, overviewResponse } from "../../lib/contracts/overview";
import { OVERVIEW_LIST_MAX } from "../../lib/ui/constants";
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

    // Other tests add integrations to the same database: find ours by name, as the home page's search does.
    const res = await api("GET", `/v1/overview?q=${encodeURIComponent(integration.body.name)}`);
    expect(res.status, res.text).toBe(200);
    const body = overviewResponse.parse(res.body);
    expect(body.integrations.map((i) => i._id)).toEqual([id]);
    const mine = body.integrations[0];
    expect(mine).toMatchObject({ numSyncs: 4, failing: 1, running: 0, neverRun: 1, disabled: 1, healthy: 1, withRecordErrors: 1 });
    expect(mine.lastFailureAt).toBe(failed.endedAt);
    expect(body.totals.numSyncs).toBeGreaterThanOrEqual(4);
    expect(body.totals.numIntegrationsFailing).toBeGreaterThanOrEqual(1);

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
      body: {
        source: {
          type: "sample",
          seed: 3,
          tables: [
            { name: "good", rows: 10 },
            { name: "bad", rows: 10 },
          ],
        },
      },
    });
    expect((await runToEnd(broken.id)).status).toBe("completed");
    const after = overviewResponse.parse((await api("GET", `/v1/overview?q=${encodeURIComponent(integration.body.name)}`)).body);
    expect(after.latestFailures.find((f) => f._syncJobId === failed._id)?.syncRecovered).toBe(true);
    expect(after.integrations.find((i) => i._id === id)).toMatchObject({ failing: 0, healthy: 2 });
  });

  it("searches, filters and pages the integrations, those with failing syncs first, with totals over all of them", async () => {
    const tag = `ovpage-${uid()}`;
    const [alpha, beta, gamma] = await Promise.all(
      ["alpha", "beta", "gamma"].map(
        async (n) => (await api("POST", "/v1/integrations", { body: { name: `${tag} ${n}` } })).body._id as string,
      ),
    );
    const broken = await createSync(testDb(), {
      _integrationId: beta,
      name: "broken",
      source: {
        type: "sample",
        seed: 5,
        tables: [{ name: "bad", rows: 10, failWith: { code: "SOURCE_REFUSED", message: "refused in a test", afterRows: 2 } }] as never,
      },
      destination: { type: "postgres", schema: `wh_ov_${uid()}` },
    });
    expect((await runToEnd(broken.id)).status).toBe("failed");
    const get = async (query: string) => {
      const res = await api("GET", `/v1/overview?${query}`);
      expect(res.status, res.text).toBe(200);
      return overviewResponse.parse(res.body);
    };
    const ids = (o: { integrations: { _id: string }[] }) => o.integrations.map((i) => i._id);

    const all = await get(`q=${tag}`);
    expect(ids(all)).toEqual([beta, alpha, gamma]);
    expect(all.integrationsTotalCount).toBe(3);
    expect(ids(await get(`q=${tag.toUpperCase()}%20B`))).toEqual([beta]);
    const failing = await get(`q=${tag}&attention=true`);
    expect(ids(failing)).toEqual([beta]);
    expect(failing.integrationsTotalCount).toBe(1);
    const second = await get(`q=${tag}&limit=1&offset=1`);
    expect(ids(second)).toEqual([alpha]);
    expect(second.integrationsTotalCount).toBe(3);
    expect(ids(await get(`q=${tag}&offset=3`))).toEqual([]);

    // No filter: the count of matches is every integration; the totals never depend on the page.
    const none = await get("limit=0");
    expect(none.integrations).toEqual([]);
    expect(none.integrationsTotalCount).toBe(none.totals.numIntegrations);
    expect(none.totals.numIntegrations).toBeGreaterThanOrEqual(3);
    const onlyFailing = await get("attention=true&limit=200");
    expect(onlyFailing.integrationsTotalCount).toBe(onlyFailing.totals.numIntegrationsFailing);
    expect(onlyFailing.integrations.every((i) => i.failing > 0)).toBe(true);
    const failingCounts = onlyFailing.integrations.map((i) => i.failing);
    expect(failingCounts).toEqual([...failingCounts].sort((a, b) => b - a));
    // The dashboard's copy of the page-size maximum (kept out of its bundle) matches the contract.
    expect(OVERVIEW_LIST_MAX).toBe(OVERVIEW_MAX_INTEGRATIONS);
  });

  it("bounds the failure list and the page, and refuses bad input with the envelope naming the field", async () => {
    expect((await api("GET", "/v1/overview?failures=0")).body.latestFailures).toEqual([]);
    expect((await api("GET", "/v1/overview?limit=2")).body.integrations.length).toBeLessThanOrEqual(2);
    for (const [query, field] of [
      ["failures=101", "failures"],
      ["failures=abc", "failures"],
      ["limit=201", "limit"],
      ["limit=-1", "limit"],
      ["offset=-1", "offset"],
      ["attention=yes", "attention"],
      [`q=${"x".repeat(201)}`, "q"],
    ]) {
      const bad = await api("GET", `/v1/overview?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.errors[0], query).toMatchObject({ code: "invalid_parameter", field });
    }
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

describe("GET /v1/integrations?q= (the header's integration switcher)", () => {
  it("finds integrations by part of the name, case-insensitively, A to Z, and counts the matches", async () => {
    const tag = `switch-${uid()}`;
    for (const n of ["Zulu", "alpha", "Mike"])
      expect((await api("POST", "/v1/integrations", { body: { name: `${tag} ${n}` } })).status).toBe(201);
    const res = await api("GET", `/v1/integrations?q=${tag.toUpperCase()}&sort=name&limit=2`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.map((i: { name: string }) => i.name)).toEqual([`${tag} alpha`, `${tag} Mike`]);
    expect(res.body.totalCount).toBe(3);
    // % and _ are plain characters, not patterns.
    expect((await api("GET", `/v1/integrations?q=${encodeURIComponent(`${tag}%`)}`)).body.totalCount).toBe(0);
    const bad = await api("GET", "/v1/integrations?sort=size");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: "invalid_parameter", field: "sort" });
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
