import type { ErrorCode } from "./codes";

/**
 * What an error says besides its code and message. `field` names the request field at fault
 * (dotted path); other members (such as `_syncJobId` of the active job) go into the envelope as
 * they are. `retryAfterSeconds` tells a client when trying again can help; the API layer sends it
 * as a Retry-After header, not in the body.
 */
export type ErrorDetails = { field?: string; source?: string; retryAfterSeconds?: number; [extra: string]: unknown };

/**
 * The one error type services, the engine and the API layer throw for a failure the caller should
 * see. It carries a code from ERROR_CODES and knows nothing of HTTP: the route wrapper maps the
 * code to a status (lib/api/error-status.ts). Anything else thrown becomes a generic 500.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export const isDomainError = (e: unknown, code?: ErrorCode): e is DomainError =>
  e instanceof DomainError && (code === undefined || e.code === code);

const withField = (field: string | undefined, details: ErrorDetails = {}): ErrorDetails => (field ? { ...details, field } : details);

/** No such object (or a malformed id, which names none): `invalid_ref` unless a route promises another code. */
export const notFound = (code: ErrorCode, message: string, field?: string) => new DomainError(code, message, withField(field));

/** A value the caller sent is not acceptable; `field` names it. */
export const invalid = (message: string, field?: string, code: ErrorCode = "invalid_parameter") =>
  new DomainError(code, message, withField(field));

/** The object's current state forbids the change (another sync's table, an active job, …). */
export const conflict = (code: ErrorCode, message: string, details?: ErrorDetails) => new DomainError(code, message, details);

/** The caller may not do this, whoever they are signed in as. */
export const forbidden = (code: ErrorCode, message: string, details?: ErrorDetails) => new DomainError(code, message, details);
