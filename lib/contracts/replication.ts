/**
 * Wire contract of GET /v1/syncs/{_syncId}/replication: the logical replication slot and publication
 * of a sync whose postgres source uses change data capture, as the source reports them now.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";

extendZodWithOpenApi(z);

export const ReplicationStatusSchema = z
  .object({
    slotName: z.string().openapi({ description: "The sync's logical replication slot on the source: `sync_console_<syncId>`" }),
    publicationName: z.string().openapi({ description: "The sync's publication on the source: `sync_console_<syncId>`" }),
    exists: z
      .boolean()
      .nullable()
      .openapi({ description: "Whether the slot exists (created by the first run; null when the source could not be asked)" }),
    active: z.boolean().nullable().openapi({ description: "Whether a session is reading the slot right now" }),
    walStatus: z
      .string()
      .nullable()
      .openapi({ description: "The source's `wal_status` of the slot (`reserved`, `extended`, `unreserved`, `lost`)" }),
    confirmedLsn: z
      .string()
      .nullable()
      .openapi({ description: "The slot's confirmed position: every change before it is in the warehouse for every table" }),
    lagBytes: z.number().nullable().openapi({ description: "Bytes of WAL between the source's current position and the confirmed one" }),
    sourceError: z.string().nullable().openapi({ description: "Why the source could not be asked, when it could not" }),
  })
  .openapi("ReplicationStatus", {
    example: {
      slotName: "sync_console_65f1c2a9e4b0a1b2c3d4e5f1",
      publicationName: "sync_console_65f1c2a9e4b0a1b2c3d4e5f1",
      exists: true,
      active: false,
      walStatus: "reserved",
      confirmedLsn: "0/1A2B3C48",
      lagBytes: 16384,
      sourceError: null,
    },
  });

export function registerReplicationRoutes(registry: OpenAPIRegistry): void {
  const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
  registry.registerPath({
    method: "get",
    path: "/v1/syncs/{_syncId}/replication",
    operationId: "getSyncReplication",
    tags: ["Syncs"],
    security: [{ bearerAuth: [] }],
    "x-required-scope": "sync:read",
    summary: "The replication slot and lag of a sync that captures changes (scope sync:read)",
    description:
      'For a postgres source with `replication: "logical"`. The source is asked with a short timeout; when it does not answer, ' +
      "the names are still returned and `sourceError` says why.",
    request: {
      params: z.object({
        _syncId: z.string().openapi({ description: "Sync id.", example: "65f1c2a9e4b0a1b2c3d4e5f1", pattern: "^[0-9a-f]{24}$" }),
      }),
    },
    responses: {
      200: json(ReplicationStatusSchema, "The slot as the source reports it."),
      401: json(UnauthorizedBody, "HTTP 401"),
      403: json(ErrorEnvelope, "HTTP 403"),
      404: json(ErrorEnvelope, "Unknown sync (`invalid_ref`), or a sync that does not capture changes (`replication_not_enabled`)."),
    },
  });
}
