/**
 * Wire contract of GET/PUT/DELETE /v1/syncs/{_syncId}/schedule. The request body is the
 * management contract's `scheduleBody` (the scheduler's own validation, strict); the response
 * adds the skip state and recent slots to the schedule summary a sync carries.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";
import { objectId, scheduleBody, scheduleSchema } from "./management";

extendZodWithOpenApi(z);

const timestamp = z.iso.datetime({ offset: true });

export const scheduleEventSchema = z
  .object({
    slotAt: timestamp.openapi({ description: "The scheduled instant this record is for" }),
    outcome: z.enum(["fired", "skipped_active", "skipped_disabled", "skipped_error"]).openapi({
      description:
        "`fired`: a run was queued. `skipped_active`: a job of the sync was still queued or running (named by `_syncJobId`). " +
        "`skipped_disabled`: the sync is disabled. `skipped_error`: the run could not be queued.",
    }),
    _syncJobId: objectId.optional().openapi({ description: "The job queued, or the active job that caused the skip" }),
    recordedAt: timestamp,
  })
  .openapi("ScheduleEvent");

export const scheduleView = scheduleSchema
  .extend({
    _syncId: objectId,
    lastSkippedAt: timestamp.optional().openapi({ description: "When a slot was last skipped" }),
    lastSkipReason: z.string().optional(),
    recentEvents: z.array(scheduleEventSchema).openapi({ description: "The last 20 slots, newest first" }),
  })
  .openapi("ScheduleView", {
    example: {
      _syncId: "65f1c2a9e4b0a1b2c3d4e5f1",
      cron: "0 * * * *",
      timezone: "Europe/Berlin",
      enabled: true,
      nextRunAt: "2026-11-23T11:00:00.000Z",
      lastRunAt: "2026-11-23T10:00:00.000Z",
      recentEvents: [
        {
          slotAt: "2026-11-23T10:00:00.000Z",
          outcome: "fired",
          _syncJobId: "65f1c2a9e4b0a1b2c3d4e5f6",
          recordedAt: "2026-11-23T10:00:00.120Z",
        },
      ],
    },
  });

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    [401, 403, ...statuses].map((s) => [
      String(s),
      { description: `HTTP ${s}`, content: { "application/json": { schema: s === 401 ? UnauthorizedBody : ErrorEnvelope } } },
    ]),
  );

export function registerScheduleRoutes(registry: OpenAPIRegistry): void {
  const path = "/v1/syncs/{_syncId}/schedule";
  const request = { params: z.object({ _syncId: objectId }) };
  const view = { description: "The schedule", content: { "application/json": { schema: scheduleView } } };
  registry.registerPath({
    method: "get",
    path,
    operationId: "getSchedule",
    tags: ["Schedules"],
    summary: "Get a sync's schedule, next run and recent fired/skipped slots (scope sync:read)",
    description: "404 `invalid_ref` for an unknown sync, 404 `schedule_not_found` when it has no schedule.",
    "x-required-scope": "sync:read",
    request,
    responses: { "200": view, ...errors(404) },
  });
  registry.registerPath({
    method: "put",
    path,
    operationId: "putSchedule",
    tags: ["Schedules"],
    summary: "Create or replace a sync's schedule (scope admin)",
    description:
      "`cron` has 5 fields, or 6 with leading seconds; `timezone` is an IANA name (DST-correct). An invalid value is a 400 " +
      "whose `field` is `cron` or `timezone`. `enabled: false` pauses it; resuming never replays slots missed while paused.",
    "x-required-scope": "admin",
    request: { ...request, body: { required: true, content: { "application/json": { schema: scheduleBody } } } },
    responses: { "200": view, ...errors(400, 404, 413) },
  });
  registry.registerPath({
    method: "delete",
    path,
    operationId: "deleteSchedule",
    tags: ["Schedules"],
    summary: "Remove a sync's schedule (scope admin)",
    "x-required-scope": "admin",
    request,
    responses: { "204": { description: "Removed" }, ...errors(404) },
  });
}
