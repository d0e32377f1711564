/**
 * Every error code the API can answer with. These strings are on the wire (`errors[].code`) and in
 * the OpenAPI document, so they never change; the HTTP status for each lives in one table in the
 * API layer (lib/api/error-status.ts), never here.
 */
export const ERROR_CODES = [
  // The request itself
  "invalid_parameter",
  "missing_required_field",
  "invalid_json",
  "payload_too_large",
  "unsupported_media_type",
  "not_found",
  // Who is asking
  "invalid_credentials",
  "session_required",
  "csrf_failed",
  "insufficient_scope",
  "too_many_sign_in_attempts",
  "rate_limit_exceeded",
  // Objects that are not there
  "invalid_ref",
  "schedule_not_found",
  "replication_not_enabled",
  "sync_jobs_not_found",
  "sync_job_missing_integration",
  "sync_job_invalid_integration_id",
  // Where a sync may connect
  "host_not_allowed",
  "own_database",
  "destination_is_source",
  "connection_failed",
  "schema_not_found",
  // State that forbids the change
  "invalid_sync",
  "sync_job_not_cancellable",
  "sync_job_already_queued",
  "sync_job_active",
  "destination_conflict",
  "replication_cleanup_failed",
  "user_exists",
  "last_admin",
  "password_changed",
  // Our side
  "database_unavailable",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
