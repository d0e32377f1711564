import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { JOB_STATUSES, type JobStatus } from "@/db/schema";

extendZodWithOpenApi(z);

/**
 * Wire contract of the job endpoints: run, history, one job, its table jobs, its errors, cancel.
 * The same schemas validate requests in the route handlers, are checked against every 200 body in
 * tests/api/jobs*.test.ts, and generate the OpenAPI document, so docs and wire cannot drift.
 *
 * Response objects are not `.strict()` so clients stay forward compatible; tests call `.strict()` on
 * them to catch undocumented fields. Fields that do not apply are absent (optional), never null.
 */

const objectId = (description: string) =>
  z
    .string()
    .regex(/^[0-9a-fA-F]{24}$/, "must be a 24-hex id")
    .openapi({ format: "objectId", description, example: "65f1c2a9e4b0a1b2c3d4e5f6" });
const timestamp = (description: string) => z.iso.datetime({ offset: true }).openapi({ description });
const counter = (description: string) => z.number().int().min(0).openapi({ description });

// ---- examples (one made-up run of a four-table sync, shown on the API page) ----------------
const ids = {
  integration: "65f1c2a9e4b0a1b2c3d4e5f0",
  sync: "65f1c2a9e4b0a1b2c3d4e5f1",
  job: "65f1c2a9e4b0a1b2c3d4e5f6",
  table: "65f1c2a9e4b0a1b2c3d4e5f8",
};
const group = "9b2f4c1d7e8a4b6c9d0e1f2a3b4c5d6e";
const jobExample = {
  _id: ids.job,
  flowExecutionGroupId: group,
  _integrationId: ids.integration,
  _syncId: ids.sync,
  runType: "normal",
  status: "completed",
  triggeredBy: "user:ana@example.com",
  createdAt: "2026-11-23T10:00:00.000Z",
  startedAt: "2026-11-23T10:00:00.180Z",
  endedAt: "2026-11-23T10:00:04.900Z",
  purgeAt: "2026-12-23T10:00:04.900Z",
  numExtractedRecords: 40000,
  numLoadedRecords: 39990,
  numErrors: 10,
  numTablesSynced: 4,
  numInsertedRecords: 39990,
  numUpdatedRecords: 0,
  numDeletedRecords: 0,
  durationSeconds: 4.72,
};
const tableJobExample = {
  _id: ids.table,
  tableName: "customers",
  createdAt: "2026-11-23T10:00:00.000Z",
  status: "completed",
  startedAt: "2026-11-23T10:00:00.200Z",
  endedAt: "2026-11-23T10:00:03.100Z",
  numExtractedRecords: 10000,
  numLoadedRecords: 9990,
  numErrors: 10,
  numInsertedRecords: 9990,
  numUpdatedRecords: 0,
  numDeletedRecords: 0,
  durationSeconds: 2.9,
  numAttempts: 1,
};
const errorExample = {
  _id: "41",
  scope: "load",
  source: "warehouse",
  code: "not_null_violation",
  message: 'null value in column "email" violates not-null constraint',
  _datasetId: "customers",
  _syncId: ids.sync,
  _parentSyncJobId: ids.job,
  _childSyncJobId: ids.table,
  flowExecutionGroupId: group,
  stage: "load",
  datasetName: "customers",
  tableName: "customers",
  occurredAt: "2026-11-23T10:00:02.410Z",
  recordKey: "812",
};

export const RunType = z.enum(["normal", "resync"]).openapi("RunType", { example: "normal" });
export const SyncJobStatus = z.enum(JOB_STATUSES).openapi("SyncJobStatus", {
  description:
    "`queued` (waiting for a worker), `running`, `canceling` (cancel requested, worker stopping), then one of `completed`, `failed`, `canceled`.",
  example: "completed",
});
export const TableStage = z.enum(["extracting", "loading", "swapping"]).openapi("SyncTableStage", { example: "loading" });

export const Progress = z
  .object({
    processed: z.number().int().min(0).openapi({ description: "Records extracted so far." }),
    total: z.number().int().min(0).optional().openapi({ description: "Records expected; absent while unknown." }),
    percentage: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .openapi({ description: "processed / total × 100, one decimal; absent while total is unknown." }),
  })
  .openapi("SyncProgress", {
    description: "Progress of a running job or table.",
    example: { processed: 2500, total: 10000, percentage: 25 },
  });

/** Counters and timing shared by parent and table jobs (extensions are optional on the wire). */
const jobExtensions = {
  numInsertedRecords: counter("Records inserted into the warehouse."),
  numUpdatedRecords: counter("Records that replaced an existing warehouse row."),
  numDeletedRecords: counter("Records removed from the warehouse (resync swap)."),
  durationSeconds: z
    .number()
    .min(0)
    .optional()
    .openapi({ description: "Seconds from start to end, or to now while running. Absent until started." }),
  progress: Progress.optional(),
  estimatedCompletion: timestamp("Estimated end, from elapsed time and percentage. Absent when it cannot be estimated.").optional(),
};

export const SyncJob = z
  .object({
    _id: objectId("Sync job id."),
    flowExecutionGroupId: z.string().openapi({ description: "Correlation id shared by this job, its table jobs and their errors." }),
    _integrationId: objectId("Integration the sync belongs to."),
    _syncId: objectId("Sync id."),
    runType: RunType,
    status: SyncJobStatus,
    triggeredBy: z.string().openapi({ description: "`user:<email>`, `apiKey:<name>` or `schedule`." }),
    canceledBy: z.string().optional().openapi({ description: "Who canceled the job. Present only when status is `canceled`." }),
    createdAt: timestamp("When the job was queued."),
    startedAt: timestamp("When a worker started it. Absent while queued.").optional(),
    endedAt: timestamp("When it reached a terminal status. Absent until then.").optional(),
    purgeAt: timestamp("When retention deletes it. Absent until ended.").optional(),
    numExtractedRecords: counter("Records extracted from the source (kept current while running)."),
    numLoadedRecords: counter("Records written to the warehouse."),
    numErrors: counter("Error records produced by all tables."),
    numTablesSynced: z.number().int().min(0).openapi({ description: "Tables that moved at least one record (a resync: every table)." }),
    ...jobExtensions,
    errorMessage: z.string().optional().openapi({ description: "Why the job failed. Present only when status is `failed`." }),
  })
  .openapi("SyncJob", { description: "One execution of a sync (the parent job).", example: jobExample });

export const SchemaChange = z
  .object({
    column: z.string(),
    change: z.enum(["added", "widened", "dropped"]),
    from: z.string().optional().openapi({ description: "The warehouse column's type before (widened, dropped)." }),
    to: z.string().optional().openapi({ description: "The type it has now (added, widened)." }),
  })
  .openapi("SchemaChange", {
    description: "A column the source added (added to the warehouse table), widened (type widened) or dropped (kept, NULL from then on).",
    example: { column: "qty", change: "widened", from: "integer", to: "bigint" },
  });

export const SyncTableJob = z
  .object({
    _id: objectId("Table job id; pass it as `_childJobId` to the errors endpoint."),
    tableName: z.string(),
    createdAt: timestamp("When the table job was created."),
    status: SyncJobStatus,
    startedAt: timestamp("When extraction began. Absent while queued.").optional(),
    endedAt: timestamp("When the table reached a terminal status. Absent until then.").optional(),
    numExtractedRecords: counter("Records extracted for this table."),
    numLoadedRecords: counter("Records loaded for this table."),
    numErrors: counter("Errors for this table."),
    ...jobExtensions,
    numAttempts: z.number().int().min(0).openapi({ description: "Attempts so far (retries after transient failures add one each)." }),
    stage: TableStage.optional().openapi({ description: "Current stage, present only while running." }),
    errorMessage: z.string().optional().openapi({ description: "Why the table failed. Present only when status is `failed`." }),
    schemaChanges: z
      .array(SchemaChange)
      .optional()
      .openapi({ description: "Changes this run applied to the warehouse table before loading, when the source's columns changed." }),
  })
  .openapi("SyncTableJob", { description: "One table's extract and load within a sync job.", example: tableJobExample });

export const SyncJobFamily = SyncJob.extend({ tables: z.array(SyncTableJob) }).openapi("SyncJobFamily", {
  description: "The parent job with its table jobs, in the sync's table order.",
  example: { ...jobExample, tables: [tableJobExample] },
});

export const SyncError = z
  .object({
    _id: z.string().regex(/^\d+$/).openapi({ description: "Error id (decimal string)." }),
    scope: z.string().openapi({ description: "`extract` or `load`." }),
    source: z.string().openapi({ description: "Component that produced the error." }),
    code: z.string(),
    message: z.string(),
    _datasetId: z.string(),
    _syncId: objectId("Sync id."),
    _parentSyncJobId: objectId("Parent sync job id."),
    _childSyncJobId: objectId("Table job id."),
    flowExecutionGroupId: z.string(),
    stage: z.string(),
    datasetName: z.string(),
    tableName: z.string(),
    occurredAt: timestamp("When the error occurred."),
    recordKey: z.string().optional().openapi({ description: "Key of the failing record, where there is one." }),
  })
  .openapi("SyncError", { example: errorExample });
export const SyncErrorList = z.array(SyncError).openapi({ example: [errorExample] });

export const SyncJobsResponse = z
  .object({
    data: z.array(SyncJob),
    totalCount: z.number().int().min(0).openapi({ description: "Jobs matching the filter across all pages." }),
    nextCursor: z.string().optional().openapi({ description: "Pass as `cursor` for the next page. Absent on the last page." }),
  })
  .openapi("SyncJobsResponse", { example: { data: [jobExample], totalCount: 31, nextCursor: "MjAyNi0xMS0yM1QxMDowMDowMC4wMDBafDY1ZjE" } });

export const LatestSyncJobs = z.array(SyncJob).openapi({ example: [jobExample] });

// ---- requests ------------------------------------------------------------------------------

export const SyncRunRequest = z
  .object({
    runType: RunType.optional().openapi({
      description: "`normal` (default): delta from each table's checkpoint. `resync`: full re-extract.",
    }),
    tables: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: "Run only these tables of the sync (e.g. retry the failed ones)." }),
  })
  .openapi("SyncRunRequest", { example: { runType: "resync", tables: ["customers"] } });

export const SyncRunQuery = z.object({
  ifActive: z
    .enum(["return"])
    .optional()
    .openapi({ description: "`return` answers 202 with the active job instead of 409 when one is already queued or running." }),
});

export const SyncRunResponse = z
  .object({
    syncId: objectId("The sync that was triggered."),
    flowExecutionGroupId: z.string(),
    _syncJobId: objectId("The queued job, to poll with GET /v1/syncJobs/{_syncJobId}."),
  })
  .openapi("SyncRunResponse", { example: { syncId: ids.sync, flowExecutionGroupId: group, _syncJobId: ids.job } });

export const SyncRunAlreadyActive = SyncJob.extend({ alreadyActive: z.literal(true) }).openapi("SyncRunAlreadyActive", {
  description: "With `?ifActive=return`: the job already queued or running for the sync.",
  example: { ...jobExample, status: "running", endedAt: undefined, purgeAt: undefined, alreadyActive: true },
});

// The explicit type stops zod-to-openapi from documenting a default of 0 as nullable.
/** `?q=` (a cleared search box) means "no filter", not a bad value. */
const blankAsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

const intParam = (def: number, max: number, description: string) =>
  z.coerce.number().int().min(0).max(max).default(def).openapi({ type: "integer", minimum: 0, maximum: max, default: def, description });
const positiveIntParam = (def: number, max: number, description: string) =>
  z.coerce.number().int().min(1).max(max).default(def).openapi({ description });

/** `status=failed,canceled`: each value must be a known status; empty items are ignored. */
const statusList = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const items = s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean);
    const bad = items.find((x) => !(JOB_STATUSES as readonly string[]).includes(x));
    if (bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `unknown status "${bad.slice(0, 40)}"; use ${JOB_STATUSES.join(", ")}` });
      return z.NEVER;
    }
    return items as JobStatus[];
  })
  .optional()
  .openapi({ type: "string", description: "Comma-separated statuses to include." });

export const SyncJobsQuery = z.object({
  limit: positiveIntParam(50, 500, "Page size (1–500, default 50)."),
  offset: intParam(0, 10_000_000, "Rows to skip (prefer `cursor` for deep pages)."),
  cursor: blankAsAbsent(z.string().max(200).optional().openapi({ description: "`nextCursor` of the previous page." })),
  status: statusList,
});

const filterText = (description: string) => blankAsAbsent(z.string().max(500).optional().openapi({ description }));

export const SyncErrorsQuery = z.object({
  _childJobId: blankAsAbsent(objectId("Only this table job's errors.").optional()),
  code: filterText("Only errors with this code."),
  stage: filterText("Only errors from this stage."),
  tableName: filterText("Only errors of this table."),
  q: filterText("Case-insensitive substring of the message."),
  limit: positiveIntParam(100, 1000, "Page size (1–1000, default 100)."),
  offset: intParam(0, 10_000_000, "Rows to skip (prefer `cursor` for deep pages)."),
  cursor: blankAsAbsent(z.string().max(200).optional().openapi({ description: "The `x-next-cursor` header of the previous page." })),
});

// ---- OpenAPI -------------------------------------------------------------------------------

export const ErrorEnvelope = z
  .object({
    errors: z.array(
      z.object({
        code: z.union([z.string(), z.number().int()]),
        message: z.string(),
        field: z.string().optional().openapi({ description: "The request field at fault, when there is one." }),
        source: z.string().optional(),
      }),
    ),
  })
  .openapi("Error", {
    description: "Envelope of every error except 401.",
    example: { errors: [{ code: "invalid_parameter", message: "limit: Too big: expected number to be <=500", field: "limit" }] },
  });

export const UnauthorizedBody = z.object({ message: z.enum(["Unauthorized", "Bearer Authentication Failed"]) }).openapi("Unauthorized", {
  description:
    "401 is a bare message (no envelope): `Unauthorized` without a token, `Bearer Authentication Failed` for a bad, revoked or expired one.",
  example: { message: "Bearer Authentication Failed" },
});

const jsonContent = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const errorResponse = (description: string) => ({ description, ...jsonContent(ErrorEnvelope) });
const common = {
  401: { description: "Missing or invalid bearer token.", ...jsonContent(UnauthorizedBody) },
  403: errorResponse("The key lacks the needed scope. Code: `insufficient_scope`."),
};
const syncIdParams = z.object({ _syncId: objectId("Sync id.") });
const jobIdParams = z.object({ _syncJobId: objectId("Sync job id.") });

/** Registers the eight job paths; lib/contracts/openapi.ts includes them in /v1/openapi.json. */
export function registerJobRoutes(registry: OpenAPIRegistry): void {
  const tags = ["Sync jobs"];
  const security = [{ bearerAuth: [] }];

  registry.registerPath({
    method: "post",
    path: "/v1/syncs/{_syncId}/run",
    operationId: "runSync",
    tags,
    security,
    "x-required-scope": "sync:write",
    summary: "Trigger a sync run (scope sync:write)",
    request: {
      params: syncIdParams,
      query: SyncRunQuery,
      body: { required: false, ...jsonContent(SyncRunRequest) },
    },
    responses: {
      200: { description: "Queued.", ...jsonContent(SyncRunResponse) },
      202: { description: "With `?ifActive=return`: a job was already active; here it is.", ...jsonContent(SyncRunAlreadyActive) },
      400: errorResponse("Bad body or query. Code: `invalid_parameter` (field names the culprit), `invalid_json`."),
      ...common,
      404: errorResponse("Unknown sync. Code: `invalid_ref`."),
      409: errorResponse("A job is already queued or running. Code: `sync_job_already_queued`; the error names it in `_syncJobId`."),
      413: errorResponse("Body over 1 MB. Code: `payload_too_large`."),
      422: errorResponse("The sync is disabled. Code: `invalid_sync`."),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/v1/syncs/{_syncId}/syncJobs",
    operationId: "listSyncJobs",
    tags,
    security,
    "x-required-scope": "sync:read",
    summary: "A sync's jobs, newest first (scope sync:read)",
    request: { params: syncIdParams, query: SyncJobsQuery },
    responses: {
      200: { description: "One page of jobs and the total.", ...jsonContent(SyncJobsResponse) },
      400: errorResponse("Bad query parameter. Code: `invalid_parameter`."),
      ...common,
      404: errorResponse("Unknown sync. Code: `invalid_ref`."),
    },
  });

  registry.registerPath({
    method: "put",
    path: "/v1/syncs/{_syncId}/syncJobs/cancel",
    operationId: "cancelSyncJobs",
    tags,
    security,
    "x-required-scope": "sync:write",
    summary: "Cancel the sync's queued or running job (scope sync:write)",
    request: { params: syncIdParams },
    responses: {
      204: { description: "Cancel requested; running tables stop within about a second." },
      ...common,
      404: errorResponse("Nothing to cancel (`sync_jobs_not_found`) or unknown sync (`invalid_ref`)."),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/v1/syncJobs/{_syncJobId}",
    operationId: "getSyncJobById",
    tags,
    security,
    "x-required-scope": "sync:read",
    summary: "One sync job (scope sync:read)",
    request: { params: jobIdParams },
    responses: {
      200: { description: "The job.", ...jsonContent(SyncJob) },
      ...common,
      404: errorResponse("Unknown job. Code: `invalid_ref`."),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/v1/syncJobs/{_syncJobId}/family",
    operationId: "getSyncJobFamily",
    tags,
    security,
    "x-required-scope": "sync:read",
    summary: "A job with its table jobs (scope sync:read)",
    request: { params: jobIdParams },
    responses: {
      200: { description: "The job and its tables.", ...jsonContent(SyncJobFamily) },
      ...common,
      404: errorResponse("Unknown job. Code: `invalid_ref`."),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/v1/syncJobs/{_parentJobId}/errors",
    operationId: "listSyncJobErrors",
    tags,
    security,
    "x-required-scope": "sync:read",
    summary: "A job's error records, oldest first (scope sync:read)",
    request: { params: z.object({ _parentJobId: objectId("Parent sync job id.") }), query: SyncErrorsQuery },
    responses: {
      200: {
        description: "A bare array (one page).",
        headers: z.object({
          "x-total-count": z.string().openapi({ description: "Errors matching the filters across all pages." }),
          "x-next-cursor": z.string().optional().openapi({ description: "Pass as `cursor` for the next page; absent on the last page." }),
        }),
        ...jsonContent(SyncErrorList),
      },
      400: errorResponse("Bad query parameter. Code: `invalid_parameter`."),
      ...common,
      404: errorResponse("Unknown job. Code: `invalid_ref`."),
    },
  });

  registry.registerPath({
    method: "put",
    path: "/v1/syncJobs/{_syncJobId}/cancel",
    operationId: "cancelSyncJob",
    tags,
    security,
    "x-required-scope": "sync:write",
    summary: "Cancel one job (scope sync:write)",
    request: { params: jobIdParams },
    responses: {
      204: { description: "Cancel requested; running tables stop within about a second." },
      ...common,
      403: errorResponse("Already completed, failed or canceled (`sync_job_not_cancellable`), or missing scope (`insufficient_scope`)."),
      404: errorResponse("Unknown job. Code: `invalid_ref`."),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/v1/integrations/{_integrationId}/syncJobs/latest",
    operationId: "getLatestSyncJobsForIntegration",
    tags,
    security,
    "x-required-scope": "sync:read",
    summary: "The latest job of each sync of an integration (scope sync:read)",
    request: { params: z.object({ _integrationId: objectId("Integration id.") }) },
    responses: {
      200: { description: "A bare array, one job per sync that has run, in the syncs' creation order.", ...jsonContent(LatestSyncJobs) },
      204: { description: "The integration has syncs, but none has run yet." },
      ...common,
      404: errorResponse(
        "`sync_job_invalid_integration_id`: the integration has no syncs. `sync_job_missing_integration`: no such integration.",
      ),
    },
  });
}

export type SyncJobWire = z.infer<typeof SyncJob>;
export type SyncTableJobWire = z.infer<typeof SyncTableJob>;
export type SyncJobFamilyWire = z.infer<typeof SyncJobFamily>;
export type SyncErrorWire = z.infer<typeof SyncError>;
