import { expect } from "vitest";
import { z } from "zod";
import { sha256 } from "../../lib/auth/tokens";
import {
  SyncError,
  SyncJob,
  SyncJobFamily,
  SyncJobsResponse,
  SyncRunAlreadyActive,
  SyncRunResponse,
  SyncTableJob,
} from "../../lib/contracts/jobs";
import { newId } from "../../lib/ids";
import { api, waitFor } from "../helpers/api";
import { testSql } from "../helpers/fixtures";

/**
 * Helpers for the job endpoint tests. The response schemas are the ones the OpenAPI document is
 * generated from, made strict here so an undocumented field fails a test instead of drifting.
 */
export const strict = {
  job: SyncJob.strict(),
  family: SyncJobFamily.strict().extend({ tables: z.array(SyncTableJob.strict()) }),
  jobs: SyncJobsResponse.strict().extend({ data: z.array(SyncJob.strict()) }),
  errors: z.array(SyncError.strict()),
  latest: z.array(SyncJob.strict()),
  runResponse: SyncRunResponse.strict(),
  alreadyActive: SyncRunAlreadyActive.strict(),
};

/** Parses with a schema and fails the test with zod's explanation (which field, why). */
export function parseWire<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new Error(`response does not match its documented schema: ${z.prettifyError(r.error)}\n${JSON.stringify(body).slice(0, 2000)}`);
  return r.data;
}

/** The seed's rule: a field that does not apply is absent, never null. */
export function expectNoNulls(value: unknown, path = "$"): void {
  if (value === null) throw new Error(`null at ${path}`);
  if (Array.isArray(value)) value.forEach((v, i) => expectNoNulls(v, `${path}[${i}]`));
  else if (typeof value === "object") for (const [k, v] of Object.entries(value as object)) expectNoNulls(v, `${path}.${k}`);
}

/** The envelope every non-401 error uses, with the expected code (and field, when given). */
export function expectApiError(res: { status: number; body: any; text: string }, status: number, code: string, field?: string) {
  expect(res.status, res.text).toBe(status);
  expect(Array.isArray(res.body?.errors), res.text).toBe(true);
  expect(res.body.errors[0].code, res.text).toBe(code);
  expect(typeof res.body.errors[0].message).toBe("string");
  if (field !== undefined) expect(res.body.errors[0].field, res.text).toBe(field);
  // No internals leak into an error body.
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|stack/i);
}

/** An API key inserted straight into the database (as `POST /v1/apiKeys` would store it). */
export async function makeApiKey(scopes: string[], opts: { revoked?: boolean; expired?: boolean } = {}) {
  const token = `sc_jobs_${newId()}${newId()}`;
  const name = `jobs-test-${scopes.join("+") || "none"}-${newId().slice(-6)}`;
  await testSql()`
    insert into api_keys (id, name, token_hash, token_prefix, scopes, revoked_at, expires_at)
    values (${newId()}, ${name}, ${sha256(token)}, ${token.slice(0, 8)}, ${scopes},
            case when ${!!opts.revoked} then now() end, case when ${!!opts.expired} then now() - interval '1 minute' end)`;
  return { token, name };
}

/**
 * A job that stays `queued`: its one table job may only be claimed a day from now, so no worker
 * takes it. (Workers claim within milliseconds of a trigger, so a real queued state is not catchable.)
 */
export async function makeQueuedJob(sync: { id: string; integrationId: string; tables: string[] }) {
  const id = newId();
  const sql = testSql();
  await sql.begin(async (tx) => {
    await tx`insert into sync_jobs (id, flow_execution_group_id, sync_id, integration_id, run_type, status, triggered_by)
             values (${id}, ${newId()}, ${sync.id}, ${sync.integrationId}, 'normal', 'queued', 'apiKey:fixture')`;
    await tx`insert into table_jobs (id, sync_job_id, sync_id, table_name, position, run_after)
             values (${newId()}, ${id}, ${sync.id}, ${sync.tables[0]}, 0, now() + interval '1 day')`;
  });
  return id;
}

const TERMINAL = ["completed", "failed", "canceled"];

export async function waitForStatus(jobId: string, accept: (job: any) => boolean, timeoutMs = 30_000) {
  return waitFor(async () => {
    const res = await api("GET", `/v1/syncJobs/${jobId}/family`);
    return res.status === 200 && accept(res.body) ? res.body : undefined;
  }, timeoutMs);
}

export const waitForEnd = (jobId: string, timeoutMs = 60_000) => waitForStatus(jobId, (j) => TERMINAL.includes(j.status), timeoutMs);

/** Waits until a running job has committed at least one batch, so progress numbers exist. */
export const waitForProgress = (jobId: string) =>
  waitForStatus(jobId, (j) => j.status === "running" && j.tables.some((t: any) => t.status === "running" && t.numExtractedRecords > 0));

/** Cancels whatever the sync still runs, so a test never leaves a slow job behind. */
export async function stopSync(syncId: string) {
  const res = await api("PUT", `/v1/syncs/${syncId}/syncJobs/cancel`);
  expect([204, 404]).toContain(res.status);
}
