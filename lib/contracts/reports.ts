/**
 * Wire contract of the read-outs the dashboard builds its errors page and checkpoint panel from:
 * a job's error summary and CSV export, and a sync's delta checkpoints.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorEnvelope, SyncErrorsQuery, UnauthorizedBody } from "./jobs";

extendZodWithOpenApi(z);

const hexId = (description: string) => z.string().openapi({ description, example: "65f1c2a9e4b0a1b2c3d4e5f6", pattern: "^[0-9a-f]{24}$" });

/** The list's filters without its paging: a summary and an export cover every matching error. */
export const ErrorReportQuery = SyncErrorsQuery.pick({ _childJobId: true, code: true, stage: true, tableName: true, q: true });

export const ErrorSummarySchema = z
  .object({
    byCode: z.array(z.object({ code: z.string(), count: z.int() })),
    byTable: z.array(z.object({ tableName: z.string(), _childJobId: z.string(), count: z.int() })),
    byStage: z.array(z.object({ stage: z.string(), count: z.int() })),
  })
  .openapi("SyncErrorSummary", {
    description:
      "Error counts per code, table and stage. Each grouping applies every filter except its own, so all codes stay visible after picking one.",
    example: {
      byCode: [
        { code: "not_null_violation", count: 10 },
        { code: "invalid_date", count: 2 },
      ],
      byTable: [{ tableName: "customers", _childJobId: "65f1c2a9e4b0a1b2c3d4e5f8", count: 12 }],
      byStage: [{ stage: "load", count: 12 }],
    },
  });

const CSV_EXAMPLE =
  "_id,occurredAt,tableName,code,stage,scope,source,message,recordKey,_childSyncJobId,_parentSyncJobId,flowExecutionGroupId,datasetName,_datasetId\r\n" +
  '41,2026-11-23T10:00:04.120Z,customers,not_null_violation,load,load,warehouse,"email is null",812,65f1c2a9e4b0a1b2c3d4e5f8,65f1c2a9e4b0a1b2c3d4e5f6,9b2f…,customers,customers\r\n';

export const CheckpointSchema = z
  .object({
    tableName: z.string(),
    cursor: z.unknown().openapi({
      description: "Where the next normal run of the table starts, in the source's own terms (opaque; a resync starts over).",
    }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi("Checkpoint");
export const CheckpointList = z.array(CheckpointSchema).openapi("CheckpointList", {
  example: [
    {
      tableName: "orders",
      cursor: { cursor: "2026-11-23T10:00:00.000Z", pk: "812", done: true, emitted: 5000 },
      updatedAt: "2026-11-23T10:00:05.000Z",
    },
    {
      tableName: "products",
      cursor: { gen: 3, mode: "delta", pos: 5000, emitted: 5000, done: true },
      updatedAt: "2026-11-23T10:00:03.000Z",
    },
  ],
});

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const common = {
  400: json(ErrorEnvelope, "Bad query parameter (`invalid_parameter`; `field` names it)."),
  401: json(UnauthorizedBody, "Missing or invalid credentials."),
  403: json(ErrorEnvelope, "Lacks `sync:read` (`insufficient_scope`)."),
};

export function registerReportRoutes(registry: OpenAPIRegistry): void {
  const security = [{ bearerAuth: [] }];
  const jobParams = z.object({ _syncJobId: hexId("Sync job id.") });
  registry.registerPath({
    method: "get",
    path: "/v1/syncJobs/{_syncJobId}/errors/summary",
    operationId: "summarizeSyncJobErrors",
    tags: ["Sync jobs"],
    security,
    "x-required-scope": "sync:read",
    summary: "A job's error counts by code, table and stage (scope sync:read)",
    description: "Takes the same filters as the errors list.",
    request: { params: jobParams, query: ErrorReportQuery },
    responses: { 200: json(ErrorSummarySchema, "The counts."), ...common, 404: json(ErrorEnvelope, "Unknown job (`invalid_ref`).") },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/syncJobs/{_syncJobId}/errors/export",
    operationId: "exportSyncJobErrors",
    tags: ["Sync jobs"],
    security,
    "x-required-scope": "sync:read",
    summary: "A job's errors as a CSV download (scope sync:read)",
    description: "Every error matching the filters (no paging), streamed; one header row, then one row per error, oldest first.",
    request: { params: jobParams, query: ErrorReportQuery },
    responses: {
      200: {
        description: "CSV (RFC 4180, CRLF line ends), sent as an attachment.",
        content: { "text/csv": { schema: z.string().openapi({ example: CSV_EXAMPLE }), example: CSV_EXAMPLE } },
      },
      ...common,
      404: json(ErrorEnvelope, "Unknown job (`invalid_ref`)."),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/syncs/{_syncId}/checkpoints",
    operationId: "listSyncCheckpoints",
    tags: ["Syncs"],
    security,
    "x-required-scope": "sync:read",
    summary: "A sync's delta checkpoints, one per table that has one (scope sync:read)",
    request: { params: z.object({ _syncId: hexId("Sync id.") }) },
    responses: {
      200: json(CheckpointList, "By table name."),
      401: common[401],
      403: common[403],
      404: json(ErrorEnvelope, "Unknown sync (`invalid_ref`)."),
    },
  });
}
