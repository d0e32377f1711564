/**
 * Wire contracts of the connection tester and source discovery: what the new-sync wizard calls,
 * and what programs can call before they create a sync. The same schemas validate the requests
 * and generate their part of /v1/openapi.json.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";
import { sourceName } from "./sync-config";

extendZodWithOpenApi(z);

/** The checks a connection test runs, in order; a failure skips the ones after it. */
export const CHECK_NAMES = ["reachable", "credentials", "database", "rights", "wal_level", "replication_role"] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

const url = z.string().min(1).max(2000).openapi({
  description: "postgres://user:password@host:5432/database — write-only: never repeated in a response",
  example: "postgres://reader:secret@db.example.com:5432/shop",
});
const syncRef = z.string().min(1).max(64).openapi({
  description: "Use this sync's stored url instead of sending one (the caller never sees it)",
  example: "65f1c2a9e4b0a1b2c3d4e5f6",
});

export const connectionTestBody = z
  .strictObject({
    type: z.literal("postgres").optional().openapi({ description: "The kind of database; `postgres` is the only one today" }),
    url: url.optional(),
    _syncId: syncRef.optional(),
    target: z.enum(["source", "destination"]).optional().openapi({
      description: "`source` (default) checks that the tables can be read; `destination` that a schema and tables can be created",
    }),
    schema: sourceName
      .optional()
      .openapi({ description: "The schema to check rights on (source default `public`; with `_syncId`, the sync's own)" }),
    replication: z.enum(["logical"]).optional().openapi({ description: "Also check `wal_level = logical` and the REPLICATION attribute" }),
  })
  .openapi("ConnectionTest");
export type ConnectionTestBody = z.infer<typeof connectionTestBody>;

export const connectionCheck = z
  .object({
    name: z.enum(CHECK_NAMES),
    ok: z.boolean(),
    skipped: z.literal(true).optional().openapi({ description: "Present when an earlier check failed and this one could not run" }),
    message: z.string().openapi({ description: "What was found, in plain words (never the url or password)" }),
  })
  .openapi("ConnectionCheck");

export const connectionTestResult = z
  .object({ ok: z.boolean().openapi({ description: "Every check passed" }), checks: z.array(connectionCheck) })
  .openapi("ConnectionTestResult");

export const discoverBody = z
  .strictObject({
    type: z.literal("postgres").optional(),
    url: url.optional(),
    _syncId: syncRef.optional(),
    schema: sourceName
      .optional()
      .openapi({ description: "The schema whose tables to list (default `public`, or the sync's own with `_syncId`)" }),
  })
  .openapi("SourceDiscover");
export type DiscoverBody = z.infer<typeof discoverBody>;

export const discoveredTable = z
  .object({
    name: z.string(),
    columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
    primaryKey: z
      .union([z.string(), z.array(z.string())])
      .nullable()
      .openapi({
        description:
          "What a sync keys on, ready for `tables[].primaryKey`: the primary key (a list of columns when it has several), else a unique not-null column; null when there is none",
      }),
    primaryKeyColumns: z.array(z.string()).openapi({ description: "The primary key's columns (several for a composite key)" }),
    suggestedCursorColumn: z
      .string()
      .nullable()
      .openapi({ description: "A timestamp column like `updated_at` for delta runs; null when none fits" }),
    estimatedRows: z.int().nullable().openapi({
      description: "The planner's estimate (counted up to 1,000,000 when there is none yet); null when unreadable or not counted in time",
    }),
    unsupportedReason: z.string().optional().openapi({ description: "Why this table cannot be synced as it is" }),
    kind: z
      .enum(["table", "view", "materialized view"])
      .openapi({ description: "A view has no key of its own: pick a column whose values are unique and never NULL" }),
  })
  .openapi("DiscoveredTable");

export const discoveryResult = z
  .object({
    schemas: z.array(z.string()).openapi({ description: "Every non-system schema of the database, `public` first" }),
    schema: z.string().openapi({ description: "The schema `tables` belong to" }),
    tables: z.array(discoveredTable),
  })
  .openapi("SourceDiscovery");

// ---------------------------------------------------------------- OpenAPI paths

const errors = (extra: Record<number, string>) => ({
  401: {
    description: "No, bad, revoked or expired credentials (bare `{message}` body)",
    content: { "application/json": { schema: UnauthorizedBody } },
  },
  403: {
    description: "Authenticated but lacking the admin scope (`insufficient_scope`)",
    content: { "application/json": { schema: ErrorEnvelope } },
  },
  ...Object.fromEntries(
    Object.entries(extra).map(([status, description]) => [
      status,
      { description, content: { "application/json": { schema: ErrorEnvelope } } },
    ]),
  ),
});

const passing = {
  ok: true,
  checks: [
    { name: "reachable", ok: true, message: "db.example.com:5432 answers." },
    { name: "credentials", ok: true, message: "Signed in as reader." },
    { name: "database", ok: true, message: "Database shop is there (PostgreSQL 17.2)." },
    { name: "rights", ok: true, message: "User reader can read all 12 tables in schema public." },
  ],
};
const refused = {
  ok: false,
  checks: [
    { name: "reachable", ok: true, message: "db.example.com:5432 answers." },
    { name: "credentials", ok: false, message: "The password for user reader was refused." },
    { name: "database", ok: false, skipped: true, message: "Not checked: an earlier check failed." },
    { name: "rights", ok: false, skipped: true, message: "Not checked: an earlier check failed." },
  ],
};

export function registerConnectionRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "post",
    path: "/v1/connections/test",
    operationId: "testConnection",
    tags: ["Connections"],
    "x-required-scope": "admin",
    security: [{ bearerAuth: [] }],
    summary: "Test a database connection before saving it (scope admin)",
    description:
      "Checks, in order: the host answers, the user signs in, the database exists, the user has the rights a sync needs " +
      "(a source: read the schema's tables; a destination: create a schema and tables, tried in a transaction that is rolled back), " +
      'and with `replication: "logical"` the `wal_level` and REPLICATION attribute. A failed check skips the sign-in steps after it. ' +
      "Failures are answered with 200 and `ok: false`: the request was fine, the database was not. Connecting gives up after 5 seconds.",
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: connectionTestBody,
            examples: {
              source: {
                summary: "A source url",
                value: { type: "postgres", url: "postgres://reader:secret@db.example.com:5432/shop", schema: "public" },
              },
              logical: {
                summary: "A source for change data capture",
                value: { type: "postgres", url: "postgres://replicator:secret@db.example.com:5432/shop", replication: "logical" },
              },
              warehouse: {
                summary: "A warehouse url",
                value: {
                  type: "postgres",
                  url: "postgres://loader:secret@wh.example.com:5432/analytics",
                  target: "destination",
                  schema: "wh_shop",
                },
              },
              stored: { summary: "An existing sync's stored source", value: { _syncId: "65f1c2a9e4b0a1b2c3d4e5f6", target: "source" } },
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: "The checks and what each found",
        content: {
          "application/json": {
            schema: connectionTestResult,
            examples: { passing: { summary: "Everything passed", value: passing }, refused: { summary: "Wrong password", value: refused } },
          },
        },
      },
      ...errors({
        400: "Malformed body or url (`field` names it, e.g. `url`), or a url that points at the app's own database",
        404: "Unknown `_syncId` (`invalid_ref`)",
        413: "Request body over 1 MB",
      }),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/v1/sources/discover",
    operationId: "discoverSource",
    tags: ["Connections"],
    "x-required-scope": "admin",
    security: [{ bearerAuth: [] }],
    summary: "List a source's schemas, tables, columns and keys (scope admin)",
    description:
      "What a sync needs to be set up: each table's columns, the column to key on, a suggested cursor column for delta runs and a row estimate. " +
      "Pick `tables[].name`, `primaryKey` and `cursorColumn` from the answer for `POST /v1/syncs`.",
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: discoverBody,
            examples: {
              url: {
                summary: "By url",
                value: { type: "postgres", url: "postgres://reader:secret@db.example.com:5432/shop", schema: "public" },
              },
              stored: { summary: "An existing sync's source", value: { _syncId: "65f1c2a9e4b0a1b2c3d4e5f6" } },
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: "Schemas, and the tables of the chosen one",
        content: {
          "application/json": {
            schema: discoveryResult,
            example: {
              schemas: ["public", "billing"],
              schema: "public",
              tables: [
                {
                  name: "customers",
                  columns: [
                    { name: "id", type: "bigint", nullable: false },
                    { name: "email", type: "text", nullable: false },
                    { name: "updated_at", type: "timestamp with time zone", nullable: false },
                  ],
                  primaryKey: "id",
                  primaryKeyColumns: ["id"],
                  suggestedCursorColumn: "updated_at",
                  estimatedRows: 52000,
                  kind: "table",
                },
              ],
            },
          },
        },
      },
      ...errors({
        400: "Malformed body or url (`field` names it)",
        404: "Unknown `_syncId` (`invalid_ref`)",
        413: "Request body over 1 MB",
        422: "The database could not be reached or refused us (`connection_failed`, message in plain words), or `schema` does not exist (`schema_not_found`)",
      }),
    },
  });
}
