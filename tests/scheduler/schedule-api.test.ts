import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SyncJob } from "@/lib/contracts/jobs";
import { scheduleView } from "@/lib/contracts/schedules";
import { computeNextRun } from "@/lib/scheduler/next-run";
import { api, waitFor } from "../helpers/api";

const uid = () => randomBytes(4).toString("hex");

async function newSync(tables: { name: string; rows: number; rowsPerSecond?: number }[] = [{ name: "customers", rows: 5 }]) {
  const integration = await api("POST", "/v1/integrations", { body: { name: `sched-${uid()}` } });
  expect(integration.status, integration.text).toBe(201);
  const sync = await api("POST", "/v1/syncs", {
    body: {
      _integrationId: integration.body._id,
      name: `scheduled-${uid()}`,
      source: { type: "sample", seed: 3, tables },
      destination: { type: "postgres", schema: `wh_s_${uid()}` },
    },
  });
  expect(sync.status, sync.text).toBe(201);
  return sync.body._id as string;
}

const schedulePath = (syncId: string) => `/v1/syncs/${syncId}/schedule`;

describe("GET/PUT/DELETE /v1/syncs/{id}/schedule", () => {
  it("creates, reads, pauses and removes a schedule", async () => {
    const syncId = await newSync();
    const none = await api("GET", schedulePath(syncId));
    expect(none.status).toBe(404);
    expect(none.body.errors[0].code).toBe("schedule_not_found");

    const before = new Date();
    const put = await api("PUT", schedulePath(syncId), { body: { cron: "0 */4 * * *", timezone: "europe/berlin", enabled: true } });
    expect(put.status, put.text).toBe(200);
    const view = scheduleView.parse(put.body);
    expect(view).toMatchObject({
      _syncId: syncId,
      cron: "0 */4 * * *",
      timezone: "Europe/Berlin",
      enabled: true,
      lastRunAt: null,
      recentEvents: [],
    });
    expect(view.nextRunAt).toBe(computeNextRun("0 */4 * * *", "Europe/Berlin", before)?.toISOString());

    const got = await api("GET", schedulePath(syncId));
    expect(got.status).toBe(200);
    expect(scheduleView.parse(got.body)).toEqual(view);

    const paused = await api("PUT", schedulePath(syncId), { body: { cron: "0 */4 * * *", timezone: "Europe/Berlin", enabled: false } });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: false, nextRunAt: null });

    // The sync itself shows its schedule too.
    const sync = await api("GET", `/v1/syncs/${syncId}`);
    expect(sync.body.schedule).toMatchObject({ cron: "0 */4 * * *", enabled: false });

    expect((await api("DELETE", schedulePath(syncId))).status).toBe(204);
    expect((await api("GET", schedulePath(syncId))).body.errors[0].code).toBe("schedule_not_found");
    expect((await api("DELETE", schedulePath(syncId))).status).toBe(404);
  });

  it.each([
    [{ cron: "61 * * * *", timezone: "UTC", enabled: true }, "cron"],
    [{ cron: "every day", timezone: "UTC", enabled: true }, "cron"],
    [{ cron: "0 0 30 2 *", timezone: "UTC", enabled: true }, "cron"],
    [{ cron: "0 * * * *", timezone: "Mars/Olympus_Mons", enabled: true }, "timezone"],
    [{ cron: "0 * * * *", timezone: "+02:00", enabled: true }, "timezone"],
    [{ cron: "5 4 * * *", timezone: "UTC", enabled: "yes" }, "enabled"],
    [{ cron: 5, timezone: "UTC", enabled: true }, "cron"],
    [{ cron: "0 * * * *", timezone: "UTC", enable: true }, "enable"],
  ])("PUT %j is a 400 naming %s", async (body, field) => {
    const syncId = await newSync();
    const res = await api("PUT", schedulePath(syncId), { body });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors[0].code).toBe("invalid_parameter");
    expect(res.body.errors[0].field).toBe(field);
    expect((await api("GET", schedulePath(syncId))).status).toBe(404); // nothing was stored
  });

  it("PUT without a cron is a 400 naming cron", async () => {
    const res = await api("PUT", schedulePath(await newSync()), { body: { timezone: "UTC" } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe("cron");
  });

  it.each(["GET", "PUT", "DELETE"])("%s on an unknown or malformed sync id is a 404 invalid_ref", async (method) => {
    for (const id of ["0123456789abcdef01234567", "not-an-id"]) {
      const res = await api(
        method,
        schedulePath(id),
        method === "PUT" ? { body: { cron: "0 * * * *", timezone: "UTC", enabled: true } } : {},
      );
      expect(res.status, res.text).toBe(404);
      expect(res.body.errors[0].code).toBe("invalid_ref");
    }
  });

  it("reading needs sync:read, changing needs admin", async () => {
    const syncId = await newSync();
    await api("PUT", schedulePath(syncId), { body: { cron: "0 3 * * *", timezone: "UTC", enabled: true } });
    const key = await api("POST", "/v1/apiKeys", { body: { name: `reader-${uid()}`, scopes: ["sync:read"] } });
    expect(key.status, key.text).toBe(201);
    const token = key.body.token as string;
    expect((await api("GET", schedulePath(syncId), { token })).status).toBe(200);
    const put = await api("PUT", schedulePath(syncId), { token, body: { cron: "0 4 * * *", timezone: "UTC", enabled: true } });
    expect(put.status).toBe(403);
    expect(put.body.errors[0].code).toBe("insufficient_scope");
    expect((await api("DELETE", schedulePath(syncId), { token })).status).toBe(403);
    expect((await api("GET", schedulePath(syncId), { token: null })).status).toBe(401);
  });
});

describe("the app's own scheduler", () => {
  it("fires a due schedule as a run triggered by `schedule`, and shows the slots skipped while it runs", async () => {
    // 12 rows at 4 rows/s: a run long enough for a few every-second slots to find it active.
    const syncId = await newSync([{ name: "slow", rows: 12, rowsPerSecond: 4 }]);
    const put = await api("PUT", schedulePath(syncId), { body: { cron: "* * * * * *", timezone: "UTC", enabled: true } });
    expect(put.status, put.text).toBe(200);
    try {
      const skipped = await waitFor(
        async () => {
          const view = scheduleView.parse((await api("GET", schedulePath(syncId))).body);
          const hasFired = view.recentEvents.some((e) => e.outcome === "fired");
          return hasFired && view.recentEvents.some((e) => e.outcome === "skipped_active") ? view : undefined;
        },
        30_000,
        250,
      );

      const fired = skipped.recentEvents.find((e) => e.outcome === "fired")!;
      const job = await api("GET", `/v1/syncJobs/${fired._syncJobId}`);
      expect(job.status).toBe(200);
      expect(SyncJob.parse(job.body)).toMatchObject({ _syncId: syncId, triggeredBy: "schedule", runType: "normal" });

      const skip = skipped.recentEvents.find((e) => e.outcome === "skipped_active")!;
      expect(skip._syncJobId).toBeDefined();
      expect(skipped.lastSkippedAt).toBeDefined();
      expect(skipped.lastSkipReason).toContain(skip._syncJobId);
      // Slots are whole seconds and each is recorded once.
      const slots = skipped.recentEvents.map((e) => e.slotAt);
      expect(new Set(slots).size).toBe(slots.length);
    } finally {
      await api("DELETE", schedulePath(syncId));
      await api("PUT", `/v1/syncs/${syncId}/syncJobs/cancel`);
    }
  });
});
