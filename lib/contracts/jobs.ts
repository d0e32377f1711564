import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { JOB_STATUSES, type JobStatus } from "@/db/schema";

extendZodWithOpenApi(z);

/**
 * Wire contract of the job endpoints (PRODUCT §3.1 seed core + §3.2 extensions).
 * The same schemas validate requests in the route handlers, are checked against every 200 body in
 * tests/api/jobs*.test.ts, and generate the OpenAPI document, so docs and wire cannot drift.
 *
 * Response objects are not `.strict()` so clients stay forward compatible; tests call `.strict()` on
 * them to catch undocumented fields. Fields that do not apply are absent (optional), never null.
 */

const objectId = (description: string) =>
  z.string().regex(/^[0-9a-fA-F]{24}$/, "must be a 24-hex id").openapi({ format: "objectId", description });
const timestamp = (description: string) => z.iso.datetime({ offset: true }).openapi({ description });
const counter = (description: string) => z.number().int().min(0).openapi({ description });

export const RunType = z.enum(["normal", "resync"]).openapi("RunType");
export const SyncJobStatus = z
  .enum(JOB_STATUSES)
  .openapi("SyncJobStatus", {
    description: "The seed's running|completed|failed|canceled, plus `queued` (waiting for a worker) and `canceling` (cancel requested, worker stopping).",
  });
export const TableStage = z.enum(["extracting", "loading", "swapping"]).openapi("SyncTableStage");

export const Progress = z
  .object({
    processed: z.number().int().min(0).openapi({ description: "Records extracted so far." }),
    total: z.number().int().min(0).optional().openapi({ description: "Records expected; absent while unknown." }),
    percentage: z.number().min(0).max(100).optional().openapi({ description: "processed / total × 100, one decimal; absent while total is unknown." }),
  })
  .openapi("SyncProgress", { description: "Extension: progress of a running job or table." });

/** Counters and timing shared by parent and table jobs (extensions are optional on the wire). */
const jobExtensions = {
  numInsertedRecords: counter("Extension: records inserted into the warehouse."),
  numUpdatedRecords: counter("Extension: records that replaced an existing warehouse row."),
  numDeletedRecords: counter("Extension: records removed from the warehouse (resync swap)."),
  durationSeconds: z.number().min(0).optional().openapi({ description: "Extension: seconds from start to end, or to now while running. Absent until started." }),
  progress: Progress.optional(),
  estimatedCompletion: timestamp("Extension: estimated end, from elapsed time and percentage. Absent when it cannot be estimated.").optional(),
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
    errorMessage: z.string().optional().openapi({ description: "Extension: why the job failed. Present only when status is `failed`." }),
  })
  .openapi("SyncJob", { description: "One execution of a sync (the parent job)." });

export const SyncTableJob = z
  .object({
    _id: objectId("Table (child) job id; use it as `_childJobId` on the errors endpoint."),
    tableName: z.string(),
    createdAt: timestamp("When the table job was created."),
    status: SyncJobStatus,
    startedAt: timestamp("When extraction began. Absent while queued.").optional(),
    endedAt: timestamp("When the table reached a terminal status. Absent until then.").optional(),
    numExtractedRecords: counter("Records extracted for this table."),
    numLoadedRecords: counter("Records loaded for this table."),
    numErrors: counter("Errors for this table."),
    ...jobExtensions,
    numAttempts: z.number().int().min(0).openapi({ description: "Extension: attempts so far (retries after transient failures add one each)." }),
    stage: TableStage.optional().openapi({ description: "Extension: current stage, present only while running." }),
    errorMessage: z.string().optional().openapi({ description: "Extension: why the table failed. Present only when status is `failed`." }),
  })
  .openapi("SyncTableJob", { description: "One table's extract and load within a sync job." });

export const SyncJobFamily = SyncJob.extend({ tables: z.array(SyncTableJob) }).openapi("SyncJobFamily", {
  description: "The parent job with its table jobs, in the sync's table order.",
});

export const SyncError = z
  .object({
    _id: z.string().regex(/^\d+$/).openapi({ description: "Extension: error id (decimal string)." }),
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
    recordKey: z.string().optional().openapi({ description: "Extension: key of the failing record, where there is one." }),
  })
  .openapi("SyncError");
export const SyncErrorList = z.array(SyncError);

export const SyncJobsResponse = z
  .object({
    data: z.array(SyncJob),
    totalCount: z.number().int().min(0).openapi({ description: "Jobs matching the filter across all pages." }),
    nextCursor: z.string().optional().openapi({ description: "Extension: pass as `cursor` for the next page. Absent on the last page." }),
  })
  .openapi("SyncJobsResponse");

export const LatestSyncJobs = z.array(SyncJob);

// ---- requests ------------------------------------------------------------------------------

export const SyncRunRequest = z
  .object({
    runType: RunType.optional().openapi({ description: "`normal` (default): delta from each table's checkpoint. `resync`: full re-extract." }),
    tables: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: "Extension: run only these tables of the sync (e.g. retry the failed ones)." }),
  })
  .openapi("SyncRunRequest");

export const SyncRunQuery = z.object({
  ifActive: z
    .enum(["return"])
    .optional()
    .openapi({ description: "Extension: `return` answers 202 with the active job instead of 409 when one is already queued or running." }),
});

export const SyncRunResponse = z
  .object({
    syncId: objectId("The sync that was triggered."),
    flowExecutionGroupId: z.string(),
    _syncJobId: objectId("Extension: the queued job, to poll with GET /v1/syncJobs/{_syncJobId}."),
  })
  .openapi("SyncRunResponse");

export const SyncRunAlreadyActive = SyncJob.extend({ alreadyActive: z.literal(true) }).openapi("SyncRunAlreadyActive", {
  description: "Extension (`?ifActive=return`): the job already queued or running for the sync.",
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
    const items = s.split(",").map((x) => x.trim()).filter(Boolean);
    const bad = items.find((x) => !(JOB_STATUSES as readonly string[]).includes(x));
    if (bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `unknown status "${bad.slice(0, 40)}"; use ${JOB_STATUSES.join(", ")}` });
      return z.NEVER;
    }
    return items as JobStatus[];
  })
  .optional()
  .openapi({ type: "string", description: "Extension: comma-separated statuses to include." });

export const SyncJobsQuery = z.object({
  limit: positiveIntParam(50, 500, "Extension: page size (1–500, default 50)."),
  offset: intParam(0, 10_000_000, "Extension: rows to skip (prefer `cursor` for deep pages)."),
  cursor: blankAsAbsent(z.string().max(200).optional().openapi({ description: "Extension: `nextCursor` of the previous page." })),
  status: statusList,
});

const filterText = (description: string) => blankAsAbsent(z.string().max(500).optional().openapi({ description }));

export const SyncErrorsQuery = z.object({
  _childJobId: blankAsAbsent(objectId("Only this table job's errors.").optional()),
  code: filterText("Extension: only errors with this code."),
  stage: filterText("Extension: only errors from this stage."),
  tableName: filterText("Extension: only errors of this table."),
  q: filterText("Extension: case-insensitive substring of the message."),
  limit: positiveIntParam(100, 1000, "Extension: page size (1–1000, default 100)."),
  offset: intParam(0, 10_000_000, "Extension: rows to skip (prefer `cursor` for deep pages)."),
  cursor: blankAsAbsent(z.string().max(200).optional().openapi({ description: "Extension: the `x-next-cursor` header of the previous page." })),
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
  .openapi("Error", { description: "Envelope of every error except 401." });

export const UnauthorizedBody = z
  .object({ message: z.enum(["Unauthorized", "Bearer Authentication Failed"]) })
  .openapi("Unauthorized", { description: "401 is a bare message (no envelope): `Unauthorized` without a token, `Bearer Authentication Failed` for a bad, revoked or expired one." });

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
    summary: "Trigger a sync run (scope sync:write)",
    request: {
      params: syncIdParams,
      query: SyncRunQuery,
      body: { required: false, ...jsonContent(SyncRunRequest) },
    },
    responses: {
      200: { description: "Queued.", ...jsonContent(SyncRunResponse) },
      202: { description: "Extension, with `?ifActive=return`: a job was already active; here it is.", ...jsonContent(SyncRunAlreadyActive) },
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
    summary: "A job's error records, oldest first (scope sync:read)",
    request: { params: z.object({ _parentJobId: objectId("Parent sync job id.") }), query: SyncErrorsQuery },
    responses: {
      200: {
        description: "A bare array (one page).",
        headers: z.object({
          "x-total-count": z.string().openapi({ description: "Errors matching the filters across all pages." }),
          "x-next-cursor": z.string().optional().openapi({ description: "Extension: pass as `cursor` for the next page; absent on the last page." }),
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
    summary: "The latest job of each sync of an integration (scope sync:read)",
    request: { params: z.object({ _integrationId: objectId("Integration id.") }) },
    responses: {
      200: { description: "A bare array, one job per sync that has run, in the syncs' creation order.", ...jsonContent(LatestSyncJobs) },
      204: { description: "The integration has syncs, but none has run yet." },
      ...common,
      404: errorResponse("`sync_job_invalid_integration_id`: the integration has no syncs. `sync_job_missing_integration`: no such integration."),
    },
  });
}

export type SyncJobWire = z.infer<typeof SyncJob>;
export type SyncTableJobWire = z.infer<typeof SyncTableJob>;
export type SyncJobFamilyWire = z.infer<typeof SyncJobFamily>;
export type SyncErrorWire = z.infer<typeof SyncError>;
