import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres, type EmbeddedDb } from "../../lib/runtime/embedded-postgres";
import { type OwnApp, startOwnApp } from "../helpers/own-app";

/**
 * Postgres goes away under a running app: its own embedded Postgres and app server (the shared
 * ones must stay up for the other files). While it is down every request gets a quick 503
 * `database_unavailable` (or /readyz's 503), none hangs and none is a 500; once it is back,
 * requests and runs work again without a restart.
 */
const TOKEN = `sc_outage_${Date.now()}`;
let dir: string;
let pg: EmbeddedDb;
let pgPort: number;
let app: OwnApp;

const startPg = () => startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: pgPort, persistent: true, fast: true });

async function timed(pathname: string, init: RequestInit = {}) {
  const t0 = Date.now();
  try {
    const res = await fetch(`${app.base}${pathname}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...(init.headers ?? {}) },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, text, ms: Date.now() - t0 };
  } catch (e) {
    return { status: 0, text: String(e), ms: Date.now() - t0 };
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sc-outage-"));
  fs.chmodSync(dir, 0o755);
  pgPort = await freePort();
  pg = await startPg();
  app = await startOwnApp({ DATABASE_URL: pg.url, WORKERS: "1", ADMIN_API_TOKEN: TOKEN });
}, 300_000);

afterAll(async () => {
  await app?.stop();
  await pg?.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the database goes away", () => {
  it("answers 503 within 2 s while Postgres is down, and everything works again once it is back", async () => {
    const integration = await timed("/v1/integrations", { method: "POST", body: JSON.stringify({ name: "outage" }) });
    expect(integration.status, integration.text).toBe(201);
    const sync = await timed("/v1/syncs", {
      method: "POST",
      body: JSON.stringify({
        _integrationId: JSON.parse(integration.text)._id,
        name: "outage sync",
        source: { type: "sample", seed: 3, tables: [{ name: "things", rows: 500 }] },
        destination: { type: "postgres", schema: "wh_outage" },
      }),
    });
    expect(sync.status, sync.text).toBe(201);
    const syncId = JSON.parse(sync.text)._id as string;

    await pg.stop();

    // 100 requests over 10 s, a mix of reads, writes and the probes.
    const calls: { path: string; init?: RequestInit }[] = [
      { path: "/v1/syncs" },
      { path: `/v1/syncs/${syncId}` },
      { path: `/v1/syncs/${syncId}/run`, init: { method: "POST" } },
      { path: "/v1/integrations", init: { method: "POST", body: JSON.stringify({ name: "during outage" }) } },
      { path: "/readyz" },
    ];
    const pending: Promise<{ path: string; status: number; text: string; ms: number }>[] = [];
    for (let i = 0; i < 100; i++) {
      const c = calls[i % calls.length];
      pending.push(timed(c.path, c.init).then((r) => ({ ...r, path: c.path })));
      await new Promise((r) => setTimeout(r, 100));
    }
    const results = await Promise.all(pending);

    const slow = results.filter((r) => r.ms > 2000);
    expect(slow.map((r) => `${r.path} ${r.ms}ms`)).toEqual([]);
    expect(results.filter((r) => r.status === 0 || (r.status >= 500 && r.status !== 503)).map((r) => `${r.path} ${r.status}`)).toEqual([]);
    for (const r of results) {
      expect(r.status, `${r.path}: ${r.text}`).toBe(503);
      if (r.path === "/readyz") expect(r.ms).toBeLessThan(1000);
      else expect(JSON.parse(r.text).errors[0].code).toBe("database_unavailable");
    }
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    console.log(`outage: ${results.length} requests, all 503, p50 ${ms[49]} ms, max ${ms[99]} ms`);

    pg = await startPg();
    const back = Date.now();
    let ready;
    do {
      ready = await timed(`/v1/syncs/${syncId}`);
      if (ready.status !== 200) await new Promise((r) => setTimeout(r, 200));
    } while (ready.status !== 200 && Date.now() - back < 15_000);
    expect(ready.status, ready.text).toBe(200);
    expect((await timed("/readyz")).status).toBe(200);

    // The worker loop survived too: a run queued now completes.
    const run = await timed(`/v1/syncs/${syncId}/run`, { method: "POST" });
    expect(run.status, run.text).toBe(200);
    const jobId = JSON.parse(run.text)._syncJobId;
    let status = "";
    for (const t0 = Date.now(); Date.now() - t0 < 20_000; await new Promise((r) => setTimeout(r, 200))) {
      status = JSON.parse((await timed(`/v1/syncJobs/${jobId}`)).text).status;
      if (["completed", "failed", "canceled"].includes(status)) break;
    }
    expect(status).toBe("completed");
  }, 60_000);
});
