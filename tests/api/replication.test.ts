import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, waitFor } from "../helpers/api";
import { runToEnd, testSql } from "../helpers/fixtures";

/** GET /v1/syncs/{id}/replication, the lag gauge in /metrics, and DELETE of a change data capture sync, over HTTP. */
const dbName = `cdc_api_${randomBytes(4).toString("hex")}`;
let source: postgres.Sql;
let sourceUrl: string;
let integrationId: string;

beforeAll(async () => {
  await testSql().unsafe(`create database ${dbName}`);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${dbName}`;
  sourceUrl = url.toString();
  source = postgres(sourceUrl, { max: 2, onnotice: () => {} });
  await source`create table products (id int primary key, name text not null)`;
  await source`insert into products select g, 'p' || g from generate_series(1, 100) g`;
  const integration = await api("POST", "/v1/integrations", { body: { name: `cdc-api-${dbName}` } });
  expect(integration.status, integration.text).toBe(201);
  integrationId = integration.body._id;
});
afterAll(async () => {
  await source?.end();
  await testSql().unsafe(`drop database if exists ${dbName} with (force)`);
});

async function cdcSync(url: string, inIntegration = integrationId) {
  const res = await api("POST", "/v1/syncs", {
    body: {
      _integrationId: inIntegration,
      name: `cdc ${randomBytes(3).toString("hex")}`,
      source: { type: "postgres", url, replication: "logical", tables: [{ name: "products", primaryKey: "id" }] },
      destination: { type: "postgres", schema: `wh_cdc_${randomBytes(3).toString("hex")}` },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body._id as string;
}

describe("GET /v1/syncs/{_syncId}/replication", () => {
  it("names the slot and publication, then reports the slot and its lag once a run created it; /metrics carries the lag; DELETE drops both", async () => {
    const id = await cdcSync(sourceUrl);
    const names = { slotName: `sync_console_${id}`, publicationName: `sync_console_${id}` };
    const none = await api("GET", `/v1/syncs/${id}/replication`);
    expect(none.status, none.text).toBe(200);
    expect(none.body).toEqual({
      ...names,
      exists: false,
      active: false,
      walStatus: null,
      confirmedLsn: null,
      lagBytes: null,
      sourceError: null,
    });

    const job = await runToEnd(id);
    expect(job.status).toBe("completed");
    // The test server runs with synchronous_commit=off: a commit then reaches the WAL's write
    // position (what the lag is measured against) only when the WAL writer next runs. This commit waits for it.
    await source.begin(async (tx) => {
      await tx`set local synchronous_commit = on`;
      await tx`insert into products values (1001, 'later')`;
    });
    const after = await api("GET", `/v1/syncs/${id}/replication`);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ ...names, exists: true, active: false, walStatus: expect.any(String), sourceError: null });
    expect(after.body.confirmedLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(after.body.lagBytes).toBeGreaterThan(0);

    const metrics = await api("GET", "/metrics");
    expect(metrics.status).toBe(200);
    const line = metrics.text.split("\n").find((l) => l.startsWith(`sync_console_replication_lag_bytes{sync_id="${id}"}`));
    expect(line, "a lag sample for the sync").toBeDefined();
    expect(Number(line!.split(" ")[1])).toBeGreaterThan(0);

    const del = await api("DELETE", `/v1/syncs/${id}`);
    expect(del.status, del.text).toBe(204);
    expect(await source`select 1 from pg_replication_slots where slot_name = ${names.slotName}`).toHaveLength(0);
    expect(await source`select 1 from pg_publication where pubname = ${names.publicationName}`).toHaveLength(0);
  });

  it("an unreachable source: the names with the reason, and a delete refused until forced", async () => {
    const closed = new URL(sourceUrl);
    closed.port = "9"; // discard port: nothing listens there
    const id = await cdcSync(closed.toString());
    const status = await api("GET", `/v1/syncs/${id}/replication`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      slotName: `sync_console_${id}`,
      exists: null,
      lagBytes: null,
      sourceError: expect.stringContaining("could not be asked"),
    });
    expect(status.text).not.toContain("postgres:");

    const refused = await api("DELETE", `/v1/syncs/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({
      code: "replication_cleanup_failed",
      message: expect.stringContaining(`pg_drop_replication_slot('sync_console_${id}')`),
    });
    expect(refused.text).not.toContain("postgres:");
    expect((await api("GET", `/v1/syncs/${id}`)).status).toBe(200);

    const bad = await api("DELETE", `/v1/syncs/${id}?force=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: "force" });
    const forced = await api("DELETE", `/v1/syncs/${id}?force=true`);
    expect(forced.status, forced.text).toBe(204);
    expect((await api("GET", `/v1/syncs/${id}`)).status).toBe(404);
  });

  it("404 for an unknown sync and for one without replication; 403 without sync:read", async () => {
    const unknown = await api("GET", "/v1/syncs/0123456789abcdef01234567/replication");
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]).toMatchObject({ code: "invalid_ref", field: "_syncId" });

    const plain = await api("POST", "/v1/syncs", {
      body: {
        _integrationId: integrationId,
        name: "no cdc",
        source: { type: "sample", tables: [{ name: "t", rows: 1 }] },
        destination: { type: "postgres", schema: `wh_plain_${randomBytes(3).toString("hex")}` },
      },
    });
    expect(plain.status, plain.text).toBe(201);
    const off = await api("GET", `/v1/syncs/${plain.body._id}/replication`);
    expect(off.status).toBe(404);
    expect(off.body.errors[0]).toMatchObject({ code: "replication_not_enabled", field: "_syncId" });

    const key = await api("POST", "/v1/apiKeys", { body: { name: `cdc-write-${dbName}`, scopes: ["sync:write"] } });
    expect(key.status, key.text).toBe(201);
    const denied = await api("GET", `/v1/syncs/${plain.body._id}/replication`, { token: key.body.token });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0]).toMatchObject({ code: "insufficient_scope" });
    await waitFor(async () => ((await api("DELETE", `/v1/syncs/${plain.body._id}`)).status === 204 ? true : undefined));
  });

  it("deleting an integration drops its syncs' slots and publications, and is refused while one cannot be dropped", async () => {
    const doomed = await api("POST", "/v1/integrations", { body: { name: `cdc-doomed-${dbName}` } });
    expect(doomed.status, doomed.text).toBe(201);
    const id = await cdcSync(sourceUrl, doomed.body._id);
    expect((await runToEnd(id)).status).toBe("completed");
    expect(await source`select 1 from pg_replication_slots where slot_name = ${`sync_console_${id}`}`).toHaveLength(1);

    const closed = new URL(sourceUrl);
    closed.port = "9";
    const unreachable = await cdcSync(closed.toString(), doomed.body._id);
    const refused = await api("DELETE", `/v1/integrations/${doomed.body._id}`);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({ code: "replication_cleanup_failed" });
    expect(refused.body.errors[0].message).toContain(`sync_console_${unreachable}`);
    expect((await api("GET", `/v1/syncs/${id}`)).status).toBe(200);

    const forced = await api("DELETE", `/v1/integrations/${doomed.body._id}?force=true`);
    expect(forced.status, forced.text).toBe(204);
    expect((await api("GET", `/v1/syncs/${id}`)).status).toBe(404);
    expect(await source`select 1 from pg_replication_slots where slot_name = ${`sync_console_${id}`}`).toHaveLength(0);
    expect(await source`select 1 from pg_publication where pubname = ${`sync_console_${id}`}`).toHaveLength(0);
  });
});
