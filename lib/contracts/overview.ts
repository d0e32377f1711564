/**
 * Wire contract of GET /v1/overview: every integration with the health of its syncs, and the
 * latest failed jobs across all of them. The same schemas validate the query, type the service
 * and the dashboard's home page, and generate the OpenAPI document.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";

extendZodWithOpenApi(z);

const objectId = (description: string) =>
  z.string().openapi({ pattern: "^[0-9a-f]{24}$", description, example: "65f1c2a9e4b0a1b2c3d4e5f6" });
const timestamp = (description: string) => z.iso.datetime({ offset: true }).openapi({ description, example: "2026-11-23T06:12:40.000Z" });
const count = (description: string) => z.int().min(0).openapi({ description });

/** How many integrations one overview response lists at most (the dashboard's OVERVIEW_LIST_MAX mirrors it). */
export const OVERVIEW_MAX_INTEGRATIONS = 200;

export const overviewQuery = z.object({
  failures: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(10)
    .openapi({ description: "How many of the latest failed jobs to return (0–100, default 10)" }),
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .max(OVERVIEW_MAX_INTEGRATIONS)
    .default(50)
    .openapi({
      description: `How many integrations to list (0–${OVERVIEW_MAX_INTEGRATIONS}, default 50); \`integrationsTotalCount\` says how many match`,
    }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ description: "Integrations to skip, for the next page" }),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: "Only integrations whose name contains this text (case-insensitive)", example: "shop" }),
  attention: z.enum(["true", "false"]).optional().openapi({ description: "`true` lists only integrations with at least one failing sync" }),
});
export type OverviewQueryT = z.infer<typeof overviewQuery>;

/**
 * Each sync is counted in exactly one bucket, judged by its newest job, in this order: disabled,
 * running (queued, running or canceling), never run, failing (the newest job failed), healthy
 * (completed or canceled). `withRecordErrors` is the part of `healthy` whose run rejected records.
 */
export const syncHealth = z
  .object({
    numSyncs: count("Syncs in total"),
    failing: count("Syncs whose newest job failed"),
    running: count("Syncs with a queued, running or canceling job"),
    neverRun: count("Syncs that never ran"),
    disabled: count("Disabled syncs"),
    healthy: count("Syncs whose newest job completed (or was canceled)"),
    withRecordErrors: count("Healthy syncs whose newest job completed with record errors"),
  })
  .openapi("SyncHealth");

export const overviewIntegration = syncHealth
  .extend({
    _id: objectId("Integration id"),
    name: z.string().openapi({ example: "Demo shop" }),
    lastFailureAt: timestamp("When a job of this integration last failed; absent if none did").optional(),
  })
  .openapi("OverviewIntegration");

export const overviewFailure = z
  .object({
    _syncJobId: objectId("The failed job"),
    _syncId: objectId("Its sync"),
    syncName: z.string().openapi({ example: "Orders to warehouse" }),
    _integrationId: objectId("The sync's integration"),
    integrationName: z.string().openapi({ example: "Demo shop" }),
    runType: z.enum(["normal", "resync"]),
    endedAt: timestamp("When the job failed"),
    errorMessage: z.string().optional().openapi({ description: "Why it failed", example: "Table payments failed: PLATFORM_ERROR" }),
    failedTables: z.array(z.string()).openapi({ description: "Tables that failed in this job", example: ["payments"] }),
    numErrors: count("Error records of the job"),
    syncRecovered: z.boolean().openapi({ description: "A later job of the same sync completed" }),
  })
  .openapi("OverviewFailure");

export const overviewResponse = z
  .object({
    totals: syncHealth.extend({
      numIntegrations: count("Integrations in total"),
      numIntegrationsFailing: count("Integrations with at least one failing sync"),
    }),
    integrations: z.array(overviewIntegration).openapi({
      description: "A page of the integrations that match `q` and `attention`: those with the most failing syncs first, then by name",
    }),
    integrationsTotalCount: count("Integrations that match `q` and `attention` (all pages)"),
    latestFailures: z.array(overviewFailure).openapi({ description: "The latest failed jobs across all integrations, newest first" }),
  })
  .openapi("Overview");
export type OverviewT = z.infer<typeof overviewResponse>;

export function registerOverviewRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "get",
    path: "/v1/overview",
    operationId: "getOverview",
    tags: ["Overview"],
    security: [{ bearerAuth: [] }],
    "x-required-scope": "sync:read",
    summary: "Health of every integration's syncs and the latest failures (scope sync:read)",
    description:
      "What the dashboard's home page shows: totals over every sync, the latest failed jobs across every integration, and a page of integrations (failing first, then by name) with how many of their syncs are failing, running, never ran, disabled or healthy. `q`, `attention`, `limit` and `offset` search and page through the integrations; the totals always cover all of them.",
    request: { query: overviewQuery },
    responses: {
      200: {
        description: "The overview",
        content: {
          "application/json": {
            schema: overviewResponse,
            example: {
              totals: {
                numIntegrations: 1,
                numIntegrationsFailing: 1,
                numSyncs: 3,
                failing: 1,
                running: 0,
                neverRun: 0,
                disabled: 0,
                healthy: 2,
                withRecordErrors: 1,
              },
              integrations: [
                {
                  _id: "65f1c2a9e4b0a1b2c3d4e5f6",
                  name: "Demo shop",
                  numSyncs: 3,
                  failing: 1,
                  running: 0,
                  neverRun: 0,
                  disabled: 0,
                  healthy: 2,
                  withRecordErrors: 1,
                  lastFailureAt: "2026-11-23T06:12:40.000Z",
                },
              ],
              integrationsTotalCount: 1,
              latestFailures: [
                {
                  _syncJobId: "65f1c2a9e4b0a1b2c3d4e5f7",
                  _syncId: "65f1c2a9e4b0a1b2c3d4e5f8",
                  syncName: "Payments",
                  _integrationId: "65f1c2a9e4b0a1b2c3d4e5f6",
                  integrationName: "Demo shop",
                  runType: "normal",
                  endedAt: "2026-11-23T06:12:40.000Z",
                  errorMessage: "Table payments failed: PLATFORM_ERROR",
                  failedTables: ["payments"],
                  numErrors: 1,
                  syncRecovered: false,
                },
              ],
            },
          },
        },
      },
      400: {
        description: "`failures`, `limit`, `offset`, `q` or `attention` out of range (`invalid_parameter`)",
        content: { "application/json": { schema: ErrorEnvelope } },
      },
      401: { description: "Missing or invalid credentials", content: { "application/json": { schema: UnauthorizedBody } } },
      403: { description: "The key lacks sync:read (`insufficient_scope`)", content: { "application/json": { schema: ErrorEnvelope } } },
    },
  });
}
