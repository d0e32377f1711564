/**
 * Wire contract of GET /v1/audit: who created, edited, deleted, ran, resynced or canceled what.
 * Validates the query, types the service and the admin page, and generates the OpenAPI document.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "./audit-actions";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";

extendZodWithOpenApi(z);

const blankAsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

export const AuditAction = z.enum(AUDIT_ACTIONS).openapi("AuditAction");
export const AuditTargetType = z.enum(AUDIT_TARGET_TYPES).openapi("AuditTargetType");

export const auditQuery = z.object({
  action: blankAsAbsent(AuditAction.optional().openapi({ description: "Only events of this action" })),
  targetType: blankAsAbsent(AuditTargetType.optional().openapi({ description: "Only events on this kind of object" })),
  targetId: blankAsAbsent(
    z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/, "use the id of a sync, integration, user, API key or sync job")
      .optional()
      .openapi({ description: "Only events on this object (combine with targetType)" }),
  ),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: "Page size (1–200, default 50)" }),
  cursor: blankAsAbsent(
    z
      .string()
      .max(30)
      .regex(/^[1-9][0-9]{0,17}$/, "pass the nextCursor of the previous page")
      .optional()
      .openapi({ description: "`nextCursor` of the previous page" }),
  ),
});
export type AuditQuery = z.infer<typeof auditQuery>;

const change = z
  .union([
    z.object({ from: z.unknown().optional(), to: z.unknown().optional() }),
    z.object({ changed: z.literal(true).openapi({ description: "A credential changed; its values are never recorded" }) }),
  ])
  .openapi("AuditChange");

export const auditEvent = z
  .object({
    _id: z.string().openapi({ description: "Event id (increasing)", example: "1042" }),
    createdAt: z.iso.datetime({ offset: true }).openapi({ example: "2026-11-23T06:12:40.000Z" }),
    principal: z
      .object({
        kind: z.enum(["user", "apiKey", "system"]),
        _id: z.string().nullable().openapi({ description: "The user's or API key's id" }),
        name: z.string().openapi({ description: "User email or API key name at the time", example: "admin@example.com" }),
      })
      .openapi("AuditPrincipal"),
    action: AuditAction,
    target: z.object({ type: AuditTargetType, _id: z.string() }).openapi("AuditTarget"),
    changes: z.record(z.string(), change).openapi({ description: "Changed fields (dotted paths) with their values before and after" }),
  })
  .openapi("AuditEvent");
export type AuditEventT = z.infer<typeof auditEvent>;

export const auditResponse = z
  .object({
    data: z.array(auditEvent).openapi({ description: "Newest first" }),
    nextCursor: z.string().optional().openapi({ description: "Pass as `cursor` for the next page; absent on the last page" }),
  })
  .openapi("AuditEvents");

export function registerAuditRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "get",
    path: "/v1/audit",
    operationId: "listAuditEvents",
    tags: ["Audit"],
    security: [{ bearerAuth: [] }],
    "x-required-scope": "admin",
    summary: "Who changed what, newest first (scope admin)",
    description:
      'Every create, edit and delete of a sync, integration, schedule, user or API key, and every run, resync and cancel, with the user or API key that did it and the fields that changed. Credentials are never recorded: a changed url or password shows as `{"changed": true}`.',
    request: { query: auditQuery },
    responses: {
      200: {
        description: "A page of events",
        content: {
          "application/json": {
            schema: auditResponse,
            example: {
              data: [
                {
                  _id: "1042",
                  createdAt: "2026-11-23T06:12:40.000Z",
                  principal: { kind: "user", _id: "65f1c2a9e4b0a1b2c3d4e5f6", name: "admin@example.com" },
                  action: "sync.update",
                  target: { type: "sync", _id: "65f1c2a9e4b0a1b2c3d4e5f7" },
                  changes: { name: { from: "Orders", to: "Orders to warehouse" }, "source.url": { changed: true } },
                },
              ],
              nextCursor: "1042",
            },
          },
        },
      },
      400: { description: "A bad filter or cursor", content: { "application/json": { schema: ErrorEnvelope } } },
      401: { description: "Missing or bad token", content: { "application/json": { schema: UnauthorizedBody } } },
      403: { description: "The token lacks the admin scope", content: { "application/json": { schema: ErrorEnvelope } } },
    },
  });
}
