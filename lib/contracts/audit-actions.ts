/** What the audit log records, as plain constants (the dashboard imports them too). */
export const AUDIT_TARGET_TYPES = ["sync", "integration", "schedule", "user", "api_key", "sync_job"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export const AUDIT_ACTIONS = [
  "sync.create",
  "sync.update",
  "sync.delete",
  "sync.run",
  "sync.resync",
  "sync_job.cancel",
  "integration.create",
  "integration.update",
  "integration.delete",
  "schedule.update",
  "schedule.delete",
  "user.create",
  "user.update",
  "user.delete",
  "api_key.create",
  "api_key.delete",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
