/**
 * Wire contracts of the management API (integrations, syncs, API keys). The same schemas
 * validate requests in the route handlers, type the services and generate /v1/openapi.json.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { JOB_STATUSES } from "@/db/schema";
import { SCOPES } from "./scopes";
import { scheduleInput } from "./cron";
import { destinationSchema, postgresSourceSchema, sampleSourceSchema, schemaChangePolicy, sourceSchema } from "@/lib/contracts/sync-config";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";

// Idempotent; lets any contract module use `.openapi(...)` whichever is imported first.
extendZodWithOpenApi(z);

export const objectId = z.string().openapi({ pattern: "^[0-9a-f]{24}$", example: "65f1c2a9e4b0a1b2c3d4e5f6" });
const timestamp = z.iso.datetime({ offset: true });
const name = z.string().trim().min(1).max(200);
const description = z.string().trim().max(300).openapi({ description: "One line saying what the sync is for, shown under its name" });

/** Shared list paging: `{data, totalCount}` with limit/offset. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), totalCount: z.int() });

// ---------------------------------------------------------------- integrations

export const integrationCreateBody = z.strictObject({ name }).openapi("IntegrationCreate", { example: { name: "Web shop" } });
export const integrationPatchBody = z
  .strictObject({ name: name.optional() })
  .openapi("IntegrationPatch", { example: { name: "Web shop (EU)" } });

// Examples shown on the API page: one integration with one sample sync.
const integrationExample = {
  _id: "65f1c2a9e4b0a1b2c3d4e5f0",
  name: "Web shop",
  numSyncs: 1,
  createdAt: "2026-11-20T09:00:00.000Z",
  updatedAt: "2026-11-20T09:00:00.000Z",
};
const sampleSourceExample = {
  type: "sample",
  tables: [
    { name: "customers", rows: 10000, changeRate: 0.05, badRecordRate: 0.001 },
    { name: "orders", rows: 10000, changeRate: 0.01 },
  ],
};
const syncExample = {
  _id: "65f1c2a9e4b0a1b2c3d4e5f1",
  _integrationId: "65f1c2a9e4b0a1b2c3d4e5f0",
  name: "Shop tables",
  source: sampleSourceExample,
  destination: { type: "postgres", schema: "wh_shop" },
  tables: ["customers", "orders"],
  disabled: false,
  schemaChanges: "propagate",
  createdAt: "2026-11-20T09:01:00.000Z",
  updatedAt: "2026-11-20T09:01:00.000Z",
  schedule: {
    cron: "0 * * * *",
    timezone: "Europe/Berlin",
    enabled: true,
    nextRunAt: "2026-11-23T11:00:00.000Z",
    lastRunAt: "2026-11-23T10:00:00.000Z",
  },
  latestJob: {
    _id: "65f1c2a9e4b0a1b2c3d4e5f6",
    status: "completed",
    runType: "normal",
    triggeredBy: "schedule",
    createdAt: "2026-11-23T10:00:00.000Z",
    startedAt: "2026-11-23T10:00:00.180Z",
    endedAt: "2026-11-23T10:00:04.900Z",
    numErrors: 10,
  },
};

export const integrationSchema = z
  .object({
    _id: objectId,
    name: z.string(),
    numSyncs: z.int().min(0),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi("Integration", { example: integrationExample });
/** The header's integration switcher searches by name on the server, so it works the same with 2 integrations or 2,000. */
export const integrationListQuery = pageQuery.extend({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: "Only integrations whose name contains this text (case-insensitive)", example: "shop" }),
  sort: z.enum(["newest", "name"]).default("newest").openapi({ description: "`newest` (default) or `name` (A to Z)" }),
});
export const integrationList = page(integrationSchema).openapi("IntegrationList", {
  example: { data: [integrationExample], totalCount: 1 },
});

// ---------------------------------------------------------------- schedules

/**
 * The scheduler's own rules (lib/scheduler), made strict so a misspelt key (`enable`) is a 400
 * rather than silently ignored. Invalid values fail on `cron` / `timezone`.
 */
export const scheduleBody = z
  .strictObject(scheduleInput.shape)
  .openapi("ScheduleInput", { example: { cron: "0 * * * *", timezone: "Europe/Berlin", enabled: true } });
export type ScheduleBody = z.infer<typeof scheduleBody>;

export const scheduleSchema = z
  .object({
    cron: z.string(),
    timezone: z.string(),
    enabled: z.boolean(),
    nextRunAt: timestamp.nullable().openapi({ description: "null while paused, or when the pattern has no future match" }),
    lastRunAt: timestamp.nullable().openapi({ description: "null until the schedule first fires" }),
  })
  .openapi("Schedule", { example: syncExample.schedule });

// ---------------------------------------------------------------- syncs

export const syncCreateBody = z
  .strictObject({
    _integrationId: z.string().min(1),
    name,
    description: description.optional(),
    source: sourceSchema,
    destination: destinationSchema.optional().openapi({
      description: "Defaults to a schema of the app's own database named after the sync; `url` loads into another Postgres",
    }),
    disabled: z.boolean().optional(),
    schemaChanges: schemaChangePolicy.optional().openapi({
      description: "`propagate` (default) adds new columns and applies widening type changes; `fail` fails the table on any change",
    }),
    schedule: scheduleBody.optional(),
  })
  .openapi("SyncCreate", {
    example: {
      _integrationId: "65f1c2a9e4b0a1b2c3d4e5f0",
      name: "Shop tables",
      source: sampleSourceExample,
      destination: { type: "postgres", schema: "wh_shop" },
      schedule: { cron: "0 * * * *", timezone: "Europe/Berlin", enabled: true },
    },
  });
export type SyncCreateBody = z.infer<typeof syncCreateBody>;

/**
 * A patched postgres source may leave out `url`: the API never shows the stored one, so
 * editing the table list must not force the caller to re-enter credentials.
 */
export const sourcePatchSchema = z.discriminatedUnion("type", [
  sampleSourceSchema,
  postgresSourceSchema.extend({ url: postgresSourceSchema.shape.url.optional() }),
]);

/** `force=true` deletes a change data capture sync even when its slot could not be dropped on the source. */
export const deleteSyncQuery = z.object({
  force: z.enum(["true", "false"]).optional().openapi({
    description: "`true`: delete even when the source's replication slot and publication could not be dropped (drop them by hand)",
  }),
});

/** The same for an integration: its change data capture syncs' slots are dropped first. */
export const deleteIntegrationQuery = z.object({
  force: z.enum(["true", "false"]).optional().openapi({
    description:
      "`true`: delete even when a sync's replication slot and publication could not be dropped on its source (drop them by hand)",
  }),
});

export const syncPatchBody = z
  .strictObject({
    name: name.optional(),
    description: description.nullable().optional().openapi({ description: "null removes the description" }),
    disabled: z.boolean().optional(),
    source: sourcePatchSchema.optional(),
    destination: destinationSchema
      .extend({ url: destinationSchema.shape.url.unwrap().nullable().optional() })
      .optional()
      .openapi({ description: "Omit `url` to keep the stored warehouse; `url: null` loads into the app's own database" }),
    schemaChanges: schemaChangePolicy.optional(),
    schedule: scheduleBody.nullable().optional().openapi({ description: "null removes the schedule" }),
  })
  .openapi("SyncPatch", { example: { name: "Shop tables (hourly)", disabled: false } });
export type SyncPatchBody = z.infer<typeof syncPatchBody>;

export const syncListQuery = pageQuery.extend({ _integrationId: z.string().min(1).optional() });

/** What the API shows of a source: credentials are write-only, so a postgres source loses its `url`. */
export const syncSourceView = z.discriminatedUnion("type", [
  sampleSourceSchema,
  z.object({
    type: z.literal("postgres"),
    schema: postgresSourceSchema.shape.schema,
    tables: postgresSourceSchema.shape.tables,
    replication: z.enum(["logical"]).optional(),
    hasCredentials: z.literal(true).openapi({ description: "The connection URL is stored but never returned" }),
  }),
]);

/** What the API shows of a destination: its url is write-only too. */
export const syncDestinationView = z.object({
  type: z.literal("postgres"),
  schema: z.string(),
  hasCredentials: z
    .literal(true)
    .optional()
    .openapi({ description: "Present when the sync loads into another Postgres; its URL is stored but never returned" }),
});

export const latestJobSummary = z
  .object({
    _id: objectId,
    status: z.enum(JOB_STATUSES),
    runType: z.enum(["normal", "resync"]),
    triggeredBy: z.string(),
    createdAt: timestamp,
    startedAt: timestamp.optional(),
    endedAt: timestamp.optional(),
    numErrors: z.int(),
  })
  .openapi("SyncLatestJob", { example: syncExample.latestJob });

export const syncSchema = z
  .object({
    _id: objectId,
    _integrationId: objectId,
    name: z.string(),
    description: z.string().optional().openapi({ description: "Absent when none was given" }),
    source: syncSourceView,
    destination: syncDestinationView,
    tables: z.array(z.string()),
    disabled: z.boolean(),
    schemaChanges: schemaChangePolicy,
    createdAt: timestamp,
    updatedAt: timestamp,
    schedule: scheduleSchema.optional(),
    latestJob: latestJobSummary.optional(),
  })
  .openapi("Sync", { example: syncExample });
export const syncList = page(syncSchema).openapi("SyncList", { example: { data: [syncExample], totalCount: 1 } });

// ---------------------------------------------------------------- API keys

export const apiKeyCreateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
    expiresAt: timestamp.optional().openapi({ description: "Optional expiry; the key fails after it" }),
    rateLimitPerMinute: z
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .openapi({ description: "Requests per minute this key may make; omitted: the server's `RATE_LIMIT_PER_MINUTE`", example: 120 }),
  })
  .openapi("ApiKeyCreate", { example: { name: "airflow-prod", scopes: ["sync:read", "sync:write"], rateLimitPerMinute: 120 } });
export type ApiKeyCreateBody = z.infer<typeof apiKeyCreateBody>;

const apiKeyExample = {
  _id: "65f1c2a9e4b0a1b2c3d4e5f7",
  name: "airflow-prod",
  scopes: ["sync:read", "sync:write"],
  prefix: "sc_Xy12ab",
  createdAt: "2026-11-20T09:30:00.000Z",
  lastUsedAt: "2026-11-23T10:00:00.000Z",
  rateLimitPerMinute: 120,
};
export const apiKeySchema = z
  .object({
    _id: objectId,
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    prefix: z.string().openapi({ description: "First characters of the token, to tell keys apart" }),
    createdAt: timestamp,
    lastUsedAt: timestamp.optional(),
    revokedAt: timestamp.optional(),
    expiresAt: timestamp.optional(),
    rateLimitPerMinute: z.int().optional().openapi({ description: "The key's own requests-per-minute limit; absent: the server default" }),
  })
  .openapi("ApiKey", { example: apiKeyExample });
export const apiKeyCreated = apiKeySchema
  .extend({ token: z.string().openapi({ description: "Shown only in this response; store it now" }) })
  .openapi("ApiKeyCreated", { example: { ...apiKeyExample, lastUsedAt: undefined, token: "sc_Xy12ab…(43 characters)" } });
export const apiKeyList = page(apiKeySchema).openapi("ApiKeyList", { example: { data: [apiKeyExample], totalCount: 1 } });

// ---------------------------------------------------------------- OpenAPI paths

type Method = "get" | "post" | "patch" | "delete";
type Scope = (typeof SCOPES)[number];

const errorResponses = (...statuses: number[]) => {
  const text: Record<number, string> = {
    400: "Invalid input; `field` names the offending field",
    401: "No, bad, revoked or expired credentials (bare `{message}` body)",
    403: "Authenticated but lacking the scope (`insufficient_scope`)",
    404: "Unknown or malformed id (`invalid_ref`, `field` names the id)",
    409: "Conflicts with the current state (e.g. `sync_job_active`)",
    413: "Request body over 1 MB",
  };
  return Object.fromEntries(
    [401, 403, ...statuses].map((s) => [
      String(s),
      s === 401
        ? { description: text[s], content: { "application/json": { schema: UnauthorizedBody } } }
        : { description: text[s], content: { "application/json": { schema: ErrorEnvelope } } },
    ]),
  );
};

const jsonBody = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });
const ok = (status: number, description: string, schema?: z.ZodType) => ({
  [String(status)]: schema ? { description, content: { "application/json": { schema } } } : { description },
});

/** Registers the management routes; each names the scope it needs (`x-required-scope`). */
export function registerManagementRoutes(registry: OpenAPIRegistry): void {
  const add = (method: Method, path: string, scope: Scope, spec: Omit<RouteConfig, "method" | "path">) =>
    registry.registerPath({
      method,
      path,
      "x-required-scope": scope,
      security: [{ bearerAuth: [] }],
      ...spec,
      summary: `${spec.summary} (scope ${scope})`,
    });
  const integrationParams = { params: z.object({ _integrationId: objectId }) };
  const syncParams = { params: z.object({ _syncId: objectId }) };
  const keyParams = { params: z.object({ id: objectId }) };

  add("post", "/v1/integrations", "admin", {
    operationId: "createIntegration",
    tags: ["Integrations"],
    summary: "Create an integration",
    request: jsonBody(integrationCreateBody),
    responses: { ...ok(201, "Created", integrationSchema), ...errorResponses(400, 413) },
  });
  add("get", "/v1/integrations", "sync:read", {
    operationId: "listIntegrations",
    tags: ["Integrations"],
    summary: "List integrations with their sync counts, newest first or by name, optionally by part of the name",
    request: { query: integrationListQuery },
    responses: { ...ok(200, "A page of integrations", integrationList), ...errorResponses(400) },
  });
  add("get", "/v1/integrations/{_integrationId}", "sync:read", {
    operationId: "getIntegration",
    tags: ["Integrations"],
    summary: "Get an integration",
    request: integrationParams,
    responses: { ...ok(200, "The integration", integrationSchema), ...errorResponses(404) },
  });
  add("patch", "/v1/integrations/{_integrationId}", "admin", {
    operationId: "updateIntegration",
    tags: ["Integrations"],
    summary: "Rename an integration",
    request: { ...integrationParams, ...jsonBody(integrationPatchBody) },
    responses: { ...ok(200, "The updated integration", integrationSchema), ...errorResponses(400, 404, 413) },
  });
  add("delete", "/v1/integrations/{_integrationId}", "admin", {
    operationId: "deleteIntegration",
    tags: ["Integrations"],
    summary: "Delete an integration with its syncs and their jobs",
    description:
      "Refused with 409 `sync_job_active` while any of its syncs has a queued, running or canceling job. The replication slot and " +
      "publication of each change data capture sync are dropped on its source first; when that fails the delete is refused with 409 " +
      "`replication_cleanup_failed`, unless `force=true`.",
    request: { ...integrationParams, query: deleteIntegrationQuery },
    responses: { ...ok(204, "Deleted"), ...errorResponses(404, 409) },
  });

  add("post", "/v1/syncs", "admin", {
    operationId: "createSync",
    tags: ["Syncs"],
    summary: "Create a sync",
    description: "Credentials inside `source` are write-only: responses never include them.",
    request: jsonBody(syncCreateBody),
    responses: { ...ok(201, "Created", syncSchema), ...errorResponses(400, 404, 409, 413) },
  });
  add("get", "/v1/syncs", "sync:read", {
    operationId: "listSyncs",
    tags: ["Syncs"],
    summary: "List syncs, newest first, optionally of one integration",
    request: { query: syncListQuery },
    responses: { ...ok(200, "A page of syncs", syncList), ...errorResponses(400, 404) },
  });
  add("get", "/v1/syncs/{_syncId}", "sync:read", {
    operationId: "getSync",
    tags: ["Syncs"],
    summary: "Get a sync with its schedule and latest job",
    request: syncParams,
    responses: { ...ok(200, "The sync", syncSchema), ...errorResponses(404) },
  });
  add("patch", "/v1/syncs/{_syncId}", "admin", {
    operationId: "updateSync",
    tags: ["Syncs"],
    summary: "Update, rename, disable or enable a sync",
    description:
      '`{"disabled": true}` disables the sync (it does not run until it is enabled again) and `{"disabled": false}` enables it again. A postgres source may omit `url` to keep the stored one. Source, destination and `schemaChanges` cannot change while a job is active (409 `sync_job_active`); checkpoints that no longer apply are dropped so the next run loads those tables in full. A table whose primary key changed needs a full resync (`POST /v1/syncs/{_syncId}/run` with `runType: resync`): a normal run fails it with `PRIMARY_KEY_CHANGED`, since the warehouse table keeps the old key.',
    request: { ...syncParams, ...jsonBody(syncPatchBody) },
    responses: { ...ok(200, "The updated sync", syncSchema), ...errorResponses(400, 404, 409, 413) },
  });
  add("delete", "/v1/syncs/{_syncId}", "admin", {
    operationId: "deleteSync",
    tags: ["Syncs"],
    summary: "Delete a sync with its jobs, errors, checkpoints and schedule",
    description:
      "Refused with 409 `sync_job_active` while a job is queued, running or canceling. A change data capture sync's replication slot and " +
      "publication are dropped on the source first; when that fails (source unreachable) the delete is refused with 409 " +
      "`replication_cleanup_failed`, unless `force=true`.",
    request: { ...syncParams, query: deleteSyncQuery },
    responses: { ...ok(204, "Deleted"), ...errorResponses(404, 409) },
  });

  add("post", "/v1/apiKeys", "admin", {
    operationId: "createApiKey",
    tags: ["API keys"],
    summary: "Create an API key",
    description: "The response carries the token; it is shown only once and stored only as a hash.",
    request: jsonBody(apiKeyCreateBody),
    responses: { ...ok(201, "Created", apiKeyCreated), ...errorResponses(400, 413) },
  });
  add("get", "/v1/apiKeys", "admin", {
    operationId: "listApiKeys",
    tags: ["API keys"],
    summary: "List API keys (never their tokens)",
    request: { query: pageQuery },
    responses: { ...ok(200, "A page of keys", apiKeyList), ...errorResponses(400) },
  });
  add("get", "/v1/apiKeys/{id}", "admin", {
    operationId: "getApiKey",
    tags: ["API keys"],
    summary: "Get an API key",
    request: keyParams,
    responses: { ...ok(200, "The key", apiKeySchema), ...errorResponses(404) },
  });
  add("delete", "/v1/apiKeys/{id}", "admin", {
    operationId: "revokeApiKey",
    tags: ["API keys"],
    summary: "Revoke an API key (takes effect on the next request)",
    request: keyParams,
    responses: { ...ok(204, "Revoked"), ...errorResponses(404) },
  });
}
