import { describe, expect, it } from "vitest";
import { newFlowExecutionGroupId, newId } from "../../lib/ids";
import { api } from "../helpers/api";
import { sampleSync, testSql } from "../helpers/fixtures";

/**
 * Requests that race over one sync: each pair is fired together many times, and every outcome
 * must be one of the two orders (never a 500, never a mix of both). Concurrency is settled by the
 * database's locks, so the tests cannot pick the order, only check that each one is whole.
 */
const ROUNDS = 15;
const tiny = [{ name: "a", rows: 5 }];

describe("racing requests over one sync", () => {
  it("a run racing the delete of its sync is a 404 (or the delete a 409), never a 500", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { sync } = await sampleSync(tiny);
      const [del, run] = await Promise.all([api("DELETE", `/v1/syncs/${sync.id}`), api("POST", `/v1/syncs/${sync.id}/run`)]);
      expect([204, 409], del.text).toContain(del.status);
      expect([200, 404], run.text).toContain(run.status);
      // Either the delete came first (the run finds nothing) or the run did (the delete finds its job).
      expect(run.status, `${del.text} ${run.text}`).toBe(del.status === 204 ? 404 : 200);
      if (run.status === 404) expect(run.body.errors[0]).toMatchObject({ code: "invalid_ref", field: "_syncId" });
    }
  });

  it("a run racing an edit of the sync's tables runs the old tables or the new, never the old list on the new config", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { sync } = await sampleSync(tiny);
      const [patch, run] = await Promise.all([
        api("PATCH", `/v1/syncs/${sync.id}`, { body: { source: { type: "sample", seed: 1, tables: [{ name: "b", rows: 5 }] } } }),
        api("POST", `/v1/syncs/${sync.id}/run`),
      ]);
      expect(run.status, run.text).toBe(200);
      const family = await api("GET", `/v1/syncJobs/${run.body._syncJobId}/family`);
      const tables = family.body.tables.map((t: { tableName: string }) => t.tableName);
      if (patch.status === 200) expect(tables, "the edit committed first: the job is made from it").toEqual(["b"]);
      else {
        expect(patch.status, patch.text).toBe(409);
        expect(patch.body.errors[0].code).toBe("sync_job_active");
        expect(tables).toEqual(["a"]);
      }
    }
  });

  it("a schedule set while its sync is deleted is a 404, never a 500", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { sync } = await sampleSync(tiny);
      const [del, put] = await Promise.all([
        api("DELETE", `/v1/syncs/${sync.id}`),
        api("PUT", `/v1/syncs/${sync.id}/schedule`, { body: { cron: "0 0 * * *", timezone: "UTC" } }),
      ]);
      expect(del.status, del.text).toBe(204);
      expect([200, 404], put.text).toContain(put.status);
      expect(await testSql()`select 1 from schedules where sync_id = ${sync.id}`).toHaveLength(0);
    }
  });

  it("two syncs created, or moved, at once into one warehouse table: one of them is refused", async () => {
    const { integration } = await sampleSync(tiny);
    for (let i = 0; i < 6; i++) {
      const schema = `wh_race_${newId().slice(-8)}`;
      const body = (n: number) => ({
        _integrationId: integration.id,
        name: `race ${schema} ${n}`,
        source: { type: "sample", seed: n, tables: [{ name: "shared", rows: 5 }] },
        destination: { type: "postgres", schema },
      });
      const created = await Promise.all([api("POST", "/v1/syncs", { body: body(1) }), api("POST", "/v1/syncs", { body: body(2) })]);
      expect(created.map((r) => r.status).sort(), created.map((r) => r.text).join(" ")).toEqual([201, 409]);
      expect(created.find((r) => r.status === 409)!.body.errors[0]).toMatchObject({
        code: "destination_conflict",
        field: "destination.schema",
      });

      const other = await Promise.all(
        [1, 2].map((n) => api("POST", "/v1/syncs", { body: { ...body(n), destination: { type: "postgres", schema: `${schema}_${n}` } } })),
      );
      const moved = await Promise.all(
        other.map((r) =>
          api("PATCH", `/v1/syncs/${r.body._id}`, { body: { destination: { type: "postgres", schema: `${schema}_moved` } } }),
        ),
      );
      expect(moved.map((r) => r.status).sort(), moved.map((r) => r.text).join(" ")).toEqual([200, 409]);
    }
  });
});

/** A job of `syncId` with one table job in `tableStatus`, held by a worker that is not there (its lease is far off). */
async function jobWithTable(syncId: string, integrationId: string, parentStatus: string, tableStatus: string) {
  const jobId = newId();
  await testSql()`
    insert into sync_jobs (id, flow_execution_group_id, sync_id, integration_id, run_type, status, triggered_by, started_at)
    values (${jobId}, ${newFlowExecutionGroupId()}, ${syncId}, ${integrationId}, 'normal', ${parentStatus}, 'test', now())`;
  await testSql()`
    insert into table_jobs (id, sync_job_id, sync_id, table_name, position, status, worker_id, lease_expires_at, started_at, ended_at)
    values (${newId()}, ${jobId}, ${syncId}, 'a', 0, ${tableStatus}, 'absent-worker', now() + interval '1 hour', now(),
            case when ${tableStatus} = 'completed' then now() end)`;
  return jobId;
}

const cancels = async (jobId: string) =>
  Number((await testSql()`select count(*)::int as n from audit_events where action = 'sync_job.cancel' and target_id = ${jobId}`)[0].n);

describe("cancel", () => {
  it("of a job whose tables all ended meanwhile is refused: it will not end canceled, and nothing is audited", async () => {
    const { sync, integration } = await sampleSync(tiny);
    // The moment between a job's last table completing and the job itself being settled.
    const jobId = await jobWithTable(sync.id, integration.id, "running", "completed");
    const res = await api("PUT", `/v1/syncJobs/${jobId}/cancel`);
    expect(res.status, res.text).toBe(403);
    expect(res.body.errors[0].code).toBe("sync_job_not_cancellable");
    expect(await cancels(jobId)).toBe(0);
    expect((await api("PUT", `/v1/syncs/${sync.id}/syncJobs/cancel`)).status).not.toBe(204);
    await testSql()`delete from sync_jobs where id = ${jobId}`;
  });

  it("asked again while the first is in progress is a 204 without a second audit event", async () => {
    const { sync, integration } = await sampleSync(tiny);
    const jobId = await jobWithTable(sync.id, integration.id, "running", "running");
    const storm = await Promise.all([
      ...Array.from({ length: 4 }, () => api("PUT", `/v1/syncJobs/${jobId}/cancel`)),
      ...Array.from({ length: 4 }, () => api("PUT", `/v1/syncs/${sync.id}/syncJobs/cancel`)),
    ]);
    expect(storm.map((r) => r.status)).toEqual(Array(8).fill(204));
    expect(await cancels(jobId)).toBe(1);
    const [job] = await testSql()`select status, canceled_by from sync_jobs where id = ${jobId}`;
    expect(job).toMatchObject({ status: "canceling", canceled_by: expect.stringContaining("admin") });
    await testSql()`delete from sync_jobs where id = ${jobId}`;
  });
});

describe("a schedule changed through PATCH of its sync", () => {
  it("is audited as the schedule's own change, with the values before and after", async () => {
    const { sync } = await sampleSync(tiny);
    const put = (schedule: unknown) => api("PATCH", `/v1/syncs/${sync.id}`, { body: { schedule } });
    expect((await api("PUT", `/v1/syncs/${sync.id}/schedule`, { body: { cron: "0 1 * * *", timezone: "Europe/Berlin" } })).status).toBe(
      200,
    );
    expect((await put({ cron: "0 2 * * *", timezone: "UTC" })).status).toBe(200);
    expect((await put(null)).status).toBe(200);
    const audit = await api("GET", `/v1/audit?targetId=${sync.id}&limit=10`);
    const events = audit.body.data.map((e: { action: string; changes: unknown }) => [e.action, e.changes]);
    expect(events.slice(0, 3)).toEqual([
      ["schedule.delete", { cron: { from: "0 2 * * *" }, timezone: { from: "UTC" }, enabled: { from: true } }],
      ["schedule.update", { cron: { from: "0 1 * * *", to: "0 2 * * *" }, timezone: { from: "Europe/Berlin", to: "UTC" } }],
      ["schedule.update", { cron: { to: "0 1 * * *" }, timezone: { to: "Europe/Berlin" }, enabled: { to: true } }],
    ]);
    // Nothing else changed, so the sync itself has no event for these.
    expect(audit.body.data.filter((e: { action: string }) => e.action === "sync.update")).toEqual([]);
  });
});

describe("edits and their audit events", () => {
  it("each of ten renames of one integration at once answers with its own name", async () => {
    const { integration } = await sampleSync(tiny);
    const names = Array.from({ length: 10 }, (_, k) => `renamed ${integration.id.slice(-6)} ${k}`);
    const answers = await Promise.all(names.map((name) => api("PATCH", `/v1/integrations/${integration.id}`, { body: { name } })));
    expect(answers.map((a) => a.body.name)).toEqual(names);
  });

  it("an edit that changes nothing, and a second revoke of a key, are no events", async () => {
    const { sync } = await sampleSync(tiny);
    expect((await api("PATCH", `/v1/syncs/${sync.id}`, { body: {} })).status).toBe(200);
    expect((await api("PATCH", `/v1/syncs/${sync.id}`, { body: { name: sync.name } })).status).toBe(200);
    expect((await api("GET", `/v1/audit?targetId=${sync.id}&action=sync.update`)).body.data).toEqual([]);

    const key = await api("POST", "/v1/apiKeys", { body: { name: `twice ${sync.id.slice(-6)}`, scopes: ["sync:read"] } });
    const revokes = await Promise.all([1, 2, 3].map(() => api("DELETE", `/v1/apiKeys/${key.body._id}`)));
    expect(revokes.map((r) => r.status)).toEqual([204, 204, 204]);
    expect((await api("GET", `/v1/audit?targetId=${key.body._id}&action=api_key.delete`)).body.data).toHaveLength(1);
  });

  it("the schema change policy cannot change while a job runs (one run, one policy)", async () => {
    const { sync } = await sampleSync([{ name: "slow", rows: 100_000, rowsPerSecond: 500 }]);
    const run = await api("POST", `/v1/syncs/${sync.id}/run`);
    expect(run.status).toBe(200);
    try {
      const refused = await api("PATCH", `/v1/syncs/${sync.id}`, { body: { schemaChanges: "fail" } });
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body.errors[0]).toMatchObject({ code: "sync_job_active" });
      // Renaming it is fine meanwhile.
      expect((await api("PATCH", `/v1/syncs/${sync.id}`, { body: { name: `${sync.name} renamed` } })).status).toBe(200);
    } finally {
      await api("PUT", `/v1/syncJobs/${run.body._syncJobId}/cancel`);
    }
  });

  it("deleting an integration ends each of its syncs' and schedules' own history with their removal", async () => {
    const { integration, sync } = await sampleSync(tiny);
    expect((await api("PUT", `/v1/syncs/${sync.id}/schedule`, { body: { cron: "0 3 * * *", timezone: "UTC" } })).status).toBe(200);
    expect((await api("DELETE", `/v1/integrations/${integration.id}`)).status).toBe(204);
    const history = await api("GET", `/v1/audit?targetId=${sync.id}`);
    expect(history.body.data.map((e: { action: string }) => e.action).slice(0, 2)).toEqual(["sync.delete", "schedule.delete"]);
    expect(history.body.data[0].changes).toEqual({ name: { from: sync.name } });
  });
});
