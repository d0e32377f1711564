import type postgres from "postgres";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { AuditAction, AuditTargetType } from "@/lib/contracts/audit-actions";

export { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, type AuditAction, type AuditTargetType } from "@/lib/contracts/audit-actions";

/** Who did it, as the audit log keeps it (a name survives the user or key being deleted). */
export type AuditActor = { kind: "user" | "apiKey" | "system"; id: string | null; name: string };

/**
 * The caller as the route wrapper authenticated it: lib/auth's Principal has this shape. Spelled out
 * here because the audit log sits below lib/auth (whose services record events).
 */
type Caller = { kind: "user"; id: string; email: string } | { kind: "apiKey"; id: string; name: string };

export const actorFromPrincipal = (p: Caller): AuditActor =>
  p.kind === "user" ? { kind: "user", id: p.id, name: p.email } : { kind: "apiKey", id: p.id || null, name: p.name };

export type AuditChanges = Record<string, { from?: unknown; to?: unknown } | { changed: true }>;

/**
 * Records one event. Call it with the transaction that makes the change, so the event exists
 * exactly when the change does. Without an actor (seeding, internal callers) nothing is recorded.
 */
export async function recordAudit(
  db: DbOrTx,
  actor: AuditActor | undefined,
  event: { action: AuditAction; targetType: AuditTargetType; targetId: string; changes?: AuditChanges },
): Promise<void> {
  if (!actor) return;
  await db.insert(auditEvents).values({
    principalKind: actor.kind,
    principalId: actor.id,
    principalName: actor.name,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    changes: event.changes ?? {},
  });
}

/** recordAudit for services that run their transaction on the postgres.js client directly. */
export async function recordAuditRaw(
  tx: postgres.TransactionSql,
  actor: AuditActor | undefined,
  event: { action: AuditAction; targetType: AuditTargetType; targetId: string; changes?: AuditChanges },
): Promise<void> {
  if (!actor) return;
  await tx`
    insert into audit_events (principal_kind, principal_id, principal_name, action, target_type, target_id, changes)
    values (${actor.kind}, ${actor.id}, ${actor.name}, ${event.action}, ${event.targetType}, ${event.targetId}, ${JSON.stringify(event.changes ?? {})}::jsonb)`;
}
