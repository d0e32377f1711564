export { auditDiff } from "./diff";
export { listAuditEvents, type AuditEventView } from "./queries";
export {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  type AuditAction,
  type AuditActor,
  type AuditTargetType,
  actorFromPrincipal,
  recordAudit,
  recordAuditRaw,
} from "./record";
