import type { ErrorCode } from "@/lib/errors";

/**
 * The HTTP status of every error code: the one place an error meets HTTP. A `Record` over the
 * code union, so adding a code without a status does not compile. Only the route wrapper's error
 * mapping (lib/api/handler.ts) reads it.
 */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_parameter: 400,
  missing_required_field: 400,
  invalid_json: 400,
  host_not_allowed: 400,
  own_database: 400,
  destination_is_source: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,

  // A failed sign-in; the password-change route answers a wrong current password with 400 instead
  // (its caller is signed in, and a 401 would send the dashboard to the sign-in page).
  invalid_credentials: 401,
  session_required: 403,
  csrf_failed: 403,
  insufficient_scope: 403,
  sync_job_not_cancellable: 403,
  too_many_sign_in_attempts: 429,
  rate_limit_exceeded: 429,

  invalid_ref: 404,
  schedule_not_found: 404,
  replication_not_enabled: 404,
  sync_jobs_not_found: 404,
  sync_job_missing_integration: 404,
  sync_job_invalid_integration_id: 404,

  sync_job_already_queued: 409,
  sync_job_active: 409,
  destination_conflict: 409,
  replication_cleanup_failed: 409,
  user_exists: 409,
  last_admin: 409,
  password_changed: 409,

  invalid_sync: 422,
  connection_failed: 422,
  schema_not_found: 422,

  internal_error: 500,
  database_unavailable: 503,
};

/** A route may answer one code with another status than the table's (see `invalid_credentials`). */
export type StatusOverrides = Partial<Record<ErrorCode, number>>;

export const statusOf = (code: ErrorCode, overrides?: StatusOverrides): number => overrides?.[code] ?? ERROR_STATUS[code];
