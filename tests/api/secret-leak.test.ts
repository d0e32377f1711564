import { randomBytes } from "node:crypto";
import fs from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { api, waitFor } from "../helpers/api";
import { testSql } from "../helpers/fixtures";

/**
 * Plants a password no other test uses in real source and warehouse urls, drives the API the way
 * people do (create, read, list, edit, good runs, failing runs, their errors, hostile input), and
 * then greps everything that could carry it: every response, the app server's log and Postgres's
 * own log, and the syncs table itself.
 */
const tag = randomBytes(5).toString("hex");
const PASSWORD = `Planted${tag}Pw`;
const ROLE = `leaky_${tag}`;
const SOURCE_DB = `leak_src_${tag}`;

const responses: string[] = [];
async function call(method: string, path: string, body?: unknown) {
  const res = await api(method, path, body === undefined ? {} : { body });
  responses.push(`${method} ${path} ${res.status} ${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${res.text}`);
  return res;
}

let admin: postgres.Sql;
const base = () => new URL(inject("databaseUrl"));
const urlAs = (database: string) => `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${base().port}/${database}`;

beforeAll(async () => {
  admin = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create role ${ROLE} login password '${PASSWORD}'`);
  await admin.unsafe(`create database ${SOURCE_DB} owner ${ROLE}`);
  const src = postgres(urlAs(SOURCE_DB), { max: 1, onnotice: () => {} });
  await src`create table items (id int primary key, name text, updated_at timestamptz default now())`;
  await src`insert into items (id, name) select g, 'item ' || g from generate_series(1, 50) g`;
  await src.end();
});

afterAll(async () => {
  await admin.unsafe(`drop database if exists ${SOURCE_DB} with (force)`);
  await admin.unsafe(`drop role if exists ${ROLE}`).catch(() => {});
  await admin.end();
});

async function runAndWait(syncId: string) {
  const run = await call("POST", `/v1/syncs/${syncId}/run`);
  expect(run.status, run.text).toBe(200);
  const jobId = run.body._syncJobId as string;
  await waitFor(
    async () => {
      const job = await call("GET", `/v1/syncJobs/${jobId}`);
      return ["completed", "failed", "canceled"].includes(job.body.status) ? job.body : undefined;
    },
    60_000,
    250,
  );
  return jobId;
}

describe("a planted password", () => {
  it("appears in no response, no log line and no stored row", async () => {
    const integration = await call("POST", "/v1/integrations", { name: `leak-${tag}` });
    const good = await call("POST", "/v1/syncs", {
      _integrationId: integration.body._id,
      name: `leak good ${tag}`,
      source: { type: "postgres", url: urlAs(SOURCE_DB), tables: [{ name: "items", primaryKey: "id", cursorColumn: "updated_at" }] },
      destination: { type: "postgres", schema: `wh_leak_${tag}` },
    });
    expect(good.status, good.text).toBe(201);
    // Fails at the source: the table is missing (a load failure with errors recorded).
    const missingTable = await call("POST", "/v1/syncs", {
      _integrationId: integration.body._id,
      name: `leak missing ${tag}`,
      source: { type: "postgres", url: urlAs(SOURCE_DB), tables: [{ name: "nope", primaryKey: "id" }] },
      destination: { type: "postgres", schema: `wh_leak2_${tag}` },
    });
    // Fails to connect: the database does not exist, and the driver's error names the role.
    const noDatabase = await call("POST", "/v1/syncs", {
      _integrationId: integration.body._id,
      name: `leak nodb ${tag}`,
      source: { type: "postgres", url: urlAs(`nowhere_${tag}`), tables: [{ name: "items", primaryKey: "id" }] },
      destination: { type: "postgres", schema: `wh_leak3_${tag}`, url: urlAs(SOURCE_DB) },
    });
    for (const r of [missingTable, noDatabase]) expect(r.status, r.text).toBe(201);

    const ids = [good.body._id, missingTable.body._id, noDatabase.body._id] as string[];
    for (const id of ids) await call("GET", `/v1/syncs/${id}`);
    await call("GET", `/v1/syncs?_integrationId=${integration.body._id}`);
    await call("GET", "/v1/syncs?limit=100");
    // Edits: keep the url (omitted), send it again, and change the warehouse url.
    await call("PATCH", `/v1/syncs/${good.body._id}`, { name: `leak good renamed ${tag}` });
    await call("PATCH", `/v1/syncs/${good.body._id}`, {
      source: { type: "postgres", url: urlAs(SOURCE_DB), tables: [{ name: "items", primaryKey: "id", cursorColumn: "updated_at" }] },
    });
    await call("PATCH", `/v1/syncs/${noDatabase.body._id}`, {
      destination: { type: "postgres", schema: `wh_leak3_${tag}`, url: urlAs(`other_${tag}`) },
    });
    // Hostile and refused input around the stored url.
    await call("PATCH", `/v1/syncs/${good.body._id}`, { name: "nul\u0000byte" });
    await call("PATCH", `/v1/syncs/${good.body._id}`, {
      source: { type: "postgres", url: `not a url ${PASSWORD}`, tables: [{ name: "items", primaryKey: "id" }] },
    });
    await call("PATCH", `/v1/syncs/${good.body._id}`, {
      source: {
        type: "postgres",
        url: `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${base().port}${base().pathname}`,
        tables: [{ name: "items", primaryKey: "id" }],
      },
    });

    const jobs = [];
    for (const id of ids) jobs.push(await runAndWait(id));
    const statuses = await Promise.all(jobs.map(async (j) => (await call("GET", `/v1/syncJobs/${j}`)).body.status));
    expect(statuses[0]).toBe("completed");
    expect(statuses.slice(1)).toEqual(["failed", "failed"]);
    for (const j of jobs) {
      await call("GET", `/v1/syncJobs/${j}/family`);
      await call("GET", `/v1/syncJobs/${j}/errors`);
      await call("GET", `/v1/syncJobs/${j}/errors/summary`);
      await call("GET", `/v1/syncJobs/${j}/errors/export`);
    }
    for (const id of ids) {
      await call("GET", `/v1/syncs/${id}/syncJobs`);
      await call("GET", `/v1/syncs/${id}/checkpoints`);
    }
    await call("GET", `/v1/integrations/${integration.body._id}/syncJobs/latest`);
    await call("GET", "/v1/overview");
    await call("GET", `/v1/audit?targetType=sync&targetId=${good.body._id}`);

    // The errors of the failing runs were really recorded (the grep is not over empty pages).
    const failedErrors = await call("GET", `/v1/syncJobs/${jobs[1]}/errors`);
    expect(failedErrors.text).toMatch(/nope/);

    expect(responses.length).toBeGreaterThan(40);
    const leakedIn = responses.filter((r) => r.includes(PASSWORD));
    expect(leakedIn.map((r) => r.slice(0, 120))).toEqual([]);

    const [{ n }] =
      await testSql()`select count(*)::int as n from syncs where source::text like ${`%${PASSWORD}%`} or destination::text like ${`%${PASSWORD}%`} or source::text like ${`%${ROLE}%`}`;
    expect(n).toBe(0);
    const stored = await testSql()`select source::text as s from syncs where id = ${good.body._id}`;
    expect(stored[0].s).toMatch(/"url": "sealed:v1:/);

    // Let both servers flush, then grep their logs.
    await new Promise((r) => setTimeout(r, 500));
    const serverLog = fs.readFileSync(inject("serverLogFile"), "utf8");
    const pgLog = fs.readFileSync(inject("pgLogFile"), "utf8");
    expect(pgLog.length).toBeGreaterThan(0);
    expect(serverLog).toMatch(/Next\.js|Ready/); // the capture works
    expect(serverLog.includes(PASSWORD), "app server log").toBe(false);
    expect(pgLog.includes(PASSWORD), "postgres log").toBe(false);
  }, 120_000);
});
