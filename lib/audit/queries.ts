import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { AuditEventT, AuditQuery } from "@/lib/contracts/audit";

export type AuditEventView = AuditEventT;

/**
 * A keyset page, newest first: `id < cursor`, served by the primary key, or by
 * audit_events_action_idx / audit_events_target_idx when filtered.
 */
export async function listAuditEvents(db: DbOrTx, q: AuditQuery): Promise<{ data: AuditEventView[]; nextCursor?: string }> {
  const where: (SQL | undefined)[] = [
    q.action ? eq(auditEvents.action, q.action) : undefined,
    q.targetType ? eq(auditEvents.targetType, q.targetType) : undefined,
    q.targetId ? eq(auditEvents.targetId, q.targetId) : undefined,
    q.cursor ? lt(auditEvents.id, Number(q.cursor)) : undefined,
  ];
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const data = page.map((r) => ({
    _id: String(r.id),
    createdAt: r.createdAt.toISOString(),
    principal: { kind: r.principalKind as AuditEventView["principal"]["kind"], _id: r.principalId, name: r.principalName },
    action: r.action as AuditEventView["action"],
    target: { type: r.targetType as AuditEventView["target"]["type"], _id: r.targetId },
    changes: r.changes as AuditEventView["changes"],
  }));
  return { data, ...(rows.length > q.limit ? { nextCursor: String(page[page.length - 1].id) } : {}) };
}
