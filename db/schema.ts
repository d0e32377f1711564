import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Ids are 24-hex strings (ObjectId-shaped) to stay wire-compatible with the seed API. */
const id = () => text("id").primaryKey();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const counter = (name: string) => bigint(name, { mode: "number" }).notNull().default(0);
/** The record counters a parent job and its table jobs share; a parent's are the sums of its tables'. */
const recordCounters = () => ({
  numExtractedRecords: counter("num_extracted_records"),
  numLoadedRecords: counter("num_loaded_records"),
  numInsertedRecords: counter("num_inserted_records"),
  numUpdatedRecords: counter("num_updated_records"),
  numDeletedRecords: counter("num_deleted_records"),
  numErrors: counter("num_errors"),
});

export const JOB_STATUSES = ["queued", "running", "canceling", "completed", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const ACTIVE_STATUSES = ["queued", "running", "canceling"] as const;
export const TERMINAL_STATUSES = ["completed", "failed", "canceled"] as const;
const statusCheck = (col: string) => sql.raw(`${col} in ('queued','running','canceling','completed','failed','canceled')`);

export const integrations = pgTable("integrations", {
  id: id(),
  name: text("name").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const syncs = pgTable(
  "syncs",
  {
    id: id(),
    integrationId: text("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** One line saying what the sync is for, shown under its name in the dashboard. */
    description: text("description"),
    /** Full source config, credentials included. Never returned by the API (see lib/syncs/present.ts). */
    source: jsonb("source").notNull(),
    destination: jsonb("destination").notNull(),
    /** Table names in source order; a run creates one table job per entry (or per requested subset). */
    tables: text("tables").array().notNull(),
    disabled: boolean("disabled").notNull().default(false),
    /** `propagate` applies added columns and widenings to the warehouse; `fail` fails the table on any change. */
    schemaChanges: text("schema_changes").notNull().default("propagate"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("syncs_schema_changes_ck", sql`${t.schemaChanges} in ('propagate','fail')`),
    // GET /v1/syncs?_integrationId= and the integration page's connector list.
    index("syncs_integration_idx").on(t.integrationId, t.createdAt),
  ],
);

export const schedules = pgTable(
  "schedules",
  {
    syncId: text("sync_id")
      .primaryKey()
      .references(() => syncs.id, { onDelete: "cascade" }),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull().default("UTC"),
    enabled: boolean("enabled").notNull().default(true),
    nextRunAt: ts("next_run_at"),
    lastRunAt: ts("last_run_at"),
    lastSkippedAt: ts("last_skipped_at"),
    lastSkipReason: text("last_skip_reason"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // Scheduler tick: due, enabled schedules claimed with SKIP LOCKED.
    index("schedules_due_idx")
      .on(t.nextRunAt)
      .where(sql`${t.enabled}`),
  ],
);

/** One row per fired or skipped scheduled slot, so skips are visible to users. */
export const scheduleEvents = pgTable(
  "schedule_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    syncId: text("sync_id")
      .notNull()
      .references(() => syncs.id, { onDelete: "cascade" }),
    slotAt: ts("slot_at").notNull(),
    outcome: text("outcome").notNull(), // fired | skipped_active | skipped_disabled
    syncJobId: text("sync_job_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    // A slot fires at most once, whatever number of schedulers race for it.
    uniqueIndex("schedule_events_slot_uq").on(t.syncId, t.slotAt),
    // GET /v1/syncs/{id}/schedule recent events, newest first.
    index("schedule_events_sync_idx").on(t.syncId, t.id),
    // The purger: events past RETENTION_DAYS, oldest first (a disabled sync's schedule records a skip every slot).
    index("schedule_events_created_idx").on(t.createdAt),
  ],
);

export const syncJobs = pgTable(
  "sync_jobs",
  {
    id: id(),
    flowExecutionGroupId: text("flow_execution_group_id").notNull(),
    syncId: text("sync_id")
      .notNull()
      .references(() => syncs.id, { onDelete: "cascade" }),
    integrationId: text("integration_id").notNull(),
    runType: text("run_type").notNull().default("normal"),
    status: text("status").notNull().default("queued"),
    triggeredBy: text("triggered_by").notNull(),
    canceledBy: text("canceled_by"),
    errorMessage: text("error_message"),
    createdAt: ts("created_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    endedAt: ts("ended_at"),
    purgeAt: ts("purge_at"),
    ...recordCounters(),
    numTablesSynced: integer("num_tables_synced").notNull().default(0),
  },
  (t) => [
    check("sync_jobs_status_ck", statusCheck("status")),
    check("sync_jobs_run_type_ck", sql`${t.runType} in ('normal','resync')`),
    // The core invariant: at most one queued/running/canceling job per sync, settled by the database.
    uniqueIndex("sync_jobs_one_active_per_sync_uq")
      .on(t.syncId)
      .where(sql`${t.status} in ('queued','running','canceling')`),
    // GET /v1/syncs/{id}/syncJobs (newest first, keyset on created_at,id) and latest-per-sync.
    index("sync_jobs_sync_created_idx").on(t.syncId, t.createdAt.desc(), t.id.desc()),
    // GET /v1/syncs/{id}/syncJobs?status= filter.
    index("sync_jobs_sync_status_created_idx").on(t.syncId, t.status, t.createdAt.desc(), t.id.desc()),
    // GET /v1/overview: the latest failed jobs across every integration, newest first.
    index("sync_jobs_failed_ended_idx")
      .on(t.endedAt.desc())
      .where(sql`${t.status} = 'failed'`),
    // Purger: expired terminal jobs.
    index("sync_jobs_purge_idx")
      .on(t.purgeAt)
      .where(sql`${t.purgeAt} is not null`),
  ],
);

export const tableJobs = pgTable(
  "table_jobs",
  {
    id: id(),
    syncJobId: text("sync_job_id")
      .notNull()
      .references(() => syncJobs.id, { onDelete: "cascade" }),
    syncId: text("sync_id").notNull(),
    tableName: text("table_name").notNull(),
    /** Position among the sync's tables, so a family lists tables in the sync's order. */
    position: integer("position").notNull().default(0),
    status: text("status").notNull().default("queued"),
    stage: text("stage"), // extracting | loading | swapping
    createdAt: ts("created_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    endedAt: ts("ended_at"),
    ...recordCounters(),
    progressTotal: bigint("progress_total", { mode: "number" }),
    numAttempts: integer("num_attempts").notNull().default(0),
    /** Earliest moment the table may be claimed (retry backoff). */
    runAfter: ts("run_after").notNull().defaultNow(),
    /** Lease: which worker holds the table and until when. Every worker write is guarded by both. */
    workerId: text("worker_id"),
    leaseExpiresAt: ts("lease_expires_at"),
    /** Position inside this run, committed with each batch; a resumed attempt starts here. */
    cursor: jsonb("cursor"),
    /**
     * Batches the control plane has accounted for. The warehouse keeps its own count of landed batches
     * (lib/engine/warehouse/state.ts); the two differ by one after a crash between their commits.
     */
    batches: integer("batches").notNull().default(0),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** Changes applied to the warehouse table before loading: [{column, change, from?, to?}]. */
    schemaChanges: jsonb("schema_changes"),
  },
  (t) => [
    check("table_jobs_status_ck", statusCheck("status")),
    uniqueIndex("table_jobs_job_table_uq").on(t.syncJobId, t.tableName),
    // Claim: queued tables whose backoff has passed, oldest first (FOR UPDATE SKIP LOCKED).
    index("table_jobs_claim_idx")
      .on(t.runAfter)
      .where(sql`${t.status} = 'queued'`),
    // Lease reaper: running tables whose lease expired.
    index("table_jobs_lease_idx")
      .on(t.leaseExpiresAt)
      .where(sql`${t.status} in ('running','canceling')`),
  ],
);

export const syncErrors = pgTable(
  "sync_errors",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    parentJobId: text("parent_job_id")
      .notNull()
      .references(() => syncJobs.id, { onDelete: "cascade" }),
    childJobId: text("child_job_id").notNull(),
    syncId: text("sync_id").notNull(),
    flowExecutionGroupId: text("flow_execution_group_id").notNull(),
    datasetId: text("dataset_id").notNull(),
    datasetName: text("dataset_name").notNull(),
    tableName: text("table_name").notNull(),
    scope: text("scope").notNull(), // extract | load
    stage: text("stage").notNull(),
    source: text("source").notNull(),
    code: text("code").notNull(),
    message: text("message").notNull(),
    recordKey: text("record_key"),
    occurredAt: ts("occurred_at").notNull().defaultNow(),
  },
  (t) => [
    // GET /v1/syncJobs/{id}/errors keyset pages (and its code/stage/table filters by scan of this range).
    index("sync_errors_parent_idx").on(t.parentJobId, t.id),
    // GET /v1/syncJobs/{id}/errors?_childJobId= keyset pages.
    index("sync_errors_child_idx").on(t.childJobId, t.id),
    // GET /v1/syncJobs/{id}/errors?code= pages and the grouped counts by code.
    index("sync_errors_parent_code_idx").on(t.parentJobId, t.code, t.id),
    // GET /v1/syncJobs/{id}/errors?q= : case-insensitive substring search of messages (pg_trgm, ILIKE).
    index("sync_errors_message_trgm_idx").using("gin", t.message.op("gin_trgm_ops")),
  ],
);

/**
 * Jobs per sync and status, kept exact by triggers on sync_jobs (the `read_counter_triggers` migration)
 * so a history page's totalCount is a lookup of a few rows instead of a count of the sync's jobs.
 */
export const syncJobCounts = pgTable(
  "sync_job_counts",
  {
    syncId: text("sync_id")
      .notNull()
      .references(() => syncs.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.status] })],
);

/**
 * A job's errors counted per table job, table, code and stage, kept exact by triggers on sync_errors.
 * Serves x-total-count and the grouped summary of every filter but `q` without counting error rows;
 * one row per table job, so tables loading in parallel never update the same counter row.
 */
export const syncErrorCounts = pgTable(
  "sync_error_counts",
  {
    parentJobId: text("parent_job_id")
      .notNull()
      .references(() => syncJobs.id, { onDelete: "cascade" }),
    childJobId: text("child_job_id").notNull(),
    tableName: text("table_name").notNull(),
    code: text("code").notNull(),
    stage: text("stage").notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.parentJobId, t.childJobId, t.tableName, t.code, t.stage] })],
);

export const checkpoints = pgTable(
  "checkpoints",
  {
    syncId: text("sync_id")
      .notNull()
      .references(() => syncs.id, { onDelete: "cascade" }),
    tableName: text("table_name").notNull(),
    /** Source-specific delta cursor after the last committed batch. */
    cursor: jsonb("cursor").notNull(),
    syncJobId: text("sync_job_id"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.tableName] })],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    name: text("name").notNull(),
    /** sha256 of the token: tokens are 256-bit random, so a fast hash is enough and lookups stay O(1). */
    tokenHash: text("token_hash").notNull(),
    tokenPrefix: text("token_prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
    expiresAt: ts("expires_at"),
    /** Requests per minute for this key; null uses RATE_LIMIT_PER_MINUTE. */
    rateLimitPerMinute: integer("rate_limit_per_minute"),
  },
  (t) => [
    // Bearer auth lookup on every request.
    uniqueIndex("api_keys_token_hash_uq").on(t.tokenHash),
  ],
);

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("users_role_ck", sql`${t.role} in ('admin','support')`),
    // Sign-in lookup by email, case-insensitively unique.
    uniqueIndex("users_email_uq").on(sql`lower(${t.email})`),
  ],
);

export const sessions = pgTable("sessions", {
  /** sha256 of the cookie value; the raw value only lives in the browser. */
  tokenHash: text("token_hash").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  csrfToken: text("csrf_token").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  expiresAt: ts("expires_at").notNull(),
});

/**
 * Per-key request counters for the API rate limit, shared by every web instance.
 * The shape is the one rate-limiter-flexible's Drizzle store expects (key, points, expire).
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: ts("expire"),
});

/**
 * Who changed what: one row per create/edit/delete/run/resync/cancel of a sync, integration,
 * schedule, user or API key, written in the same transaction as the change. `changes` holds the
 * before/after of non-secret fields only (credentials never reach this table).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    createdAt: ts("created_at").notNull().defaultNow(),
    principalKind: text("principal_kind").notNull(), // user | apiKey | system
    principalId: text("principal_id"),
    principalName: text("principal_name").notNull(),
    action: text("action").notNull(), // e.g. sync.update, sync_job.cancel
    targetType: text("target_type").notNull(), // sync | integration | schedule | user | api_key | sync_job
    targetId: text("target_id").notNull(),
    changes: jsonb("changes").notNull().default({}),
  },
  (t) => [
    // GET /v1/audit?action=…, newest first (the unfiltered list walks the primary key backwards).
    index("audit_events_action_idx").on(t.action, t.id.desc()),
    // GET /v1/audit?targetType=…&targetId=…, newest first.
    index("audit_events_target_idx").on(t.targetType, t.targetId, t.id.desc()),
  ],
);
