import type { z } from "zod";
import type { latestJobSummary, scheduleSchema, syncSchema, syncSourceView } from "@/lib/contracts/management";
import { presentSchedule } from "@/lib/scheduler/schedules";
import type { DestinationConfig, SchemaChangePolicy, SourceConfig } from "@/lib/contracts/sync-config";
import type { LatestJobRow, ScheduleRow, SyncRow } from "./queries";

export type SyncView = z.infer<typeof syncSchema>;
type SourceView = z.infer<typeof syncSourceView>;

const iso = (d: Date) => d.toISOString();
/** Timestamps that do not apply (yet) are left out rather than sent as null, as everywhere in /v1. */
const isoIf = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/**
 * Credentials are write-only. Built field by field from an allow-list, so a key added to the
 * stored config later is hidden until someone decides it is safe to show.
 */
export function presentSource(source: SourceConfig): SourceView {
  if (source.type === "postgres") {
    return {
      type: "postgres",
      ...(source.schema ? { schema: source.schema } : {}),
      tables: source.tables.map((t) => ({
        name: t.name,
        primaryKey: t.primaryKey,
        ...(t.cursorColumn ? { cursorColumn: t.cursorColumn } : {}),
      })),
      ...(source.replication ? { replication: source.replication } : {}),
      hasCredentials: true,
    };
  }
  return source;
}

/** The scheduler's own presentation (same nulls as GET /v1/syncs/{id}/schedule), without its event log. */
export function presentScheduleSummary(row: ScheduleRow): z.infer<typeof scheduleSchema> {
  const { cron, timezone, enabled, nextRunAt, lastRunAt } = presentSchedule(row, []);
  return { cron, timezone, enabled, nextRunAt, lastRunAt };
}

export function presentLatestJob(j: LatestJobRow): z.infer<typeof latestJobSummary> {
  return {
    _id: j.id,
    status: j.status as z.infer<typeof latestJobSummary>["status"],
    runType: j.run_type as "normal" | "resync",
    triggeredBy: j.triggered_by,
    createdAt: iso(j.created_at),
    startedAt: isoIf(j.started_at),
    endedAt: isoIf(j.ended_at),
    numErrors: Number(j.num_errors),
  };
}

export function presentSync(row: SyncRow, extra: { schedule?: ScheduleRow; latestJob?: LatestJobRow } = {}): SyncView {
  const destination = row.destination as DestinationConfig;
  return {
    _id: row.id,
    _integrationId: row.integrationId,
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    source: presentSource(row.source as SourceConfig),
    destination: { type: destination.type, schema: destination.schema, ...(destination.url ? { hasCredentials: true as const } : {}) },
    tables: row.tables,
    disabled: row.disabled,
    schemaChanges: row.schemaChanges as SchemaChangePolicy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    ...(extra.schedule ? { schedule: presentScheduleSummary(extra.schedule) } : {}),
    ...(extra.latestJob ? { latestJob: presentLatestJob(extra.latestJob) } : {}),
  };
}
