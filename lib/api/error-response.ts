import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { isDatabaseUnavailable } from "@/db/client";
import { DomainError, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/runtime/log";
import { type StatusOverrides, statusOf } from "./error-status";
import { describeForLog } from "./request-guards";

/**
 * The error envelope every non-401 error uses: `{"errors":[{code, message, field?, ...}]}`, the
 * status from the code (error-status.ts), `retryAfterSeconds` as a Retry-After header.
 */
export function errorResponse(
  err: DomainError,
  opts: { overrides?: StatusOverrides; headers?: Record<string, string> } = {},
): NextResponse {
  const { field, source, retryAfterSeconds, ...extra } = err.details;
  const item = {
    code: err.code,
    message: err.message,
    ...(field ? { field } : {}),
    ...(source ? { source } : {}),
    ...stripUndefined(extra),
  };
  const headers = { ...opts.headers, ...(retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : {}) };
  return NextResponse.json({ errors: [item] }, { status: statusOf(err.code, opts.overrides), headers });
}

const stripUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Turns a zod failure into a 400 that names the first bad field (dotted path). */
export function zodToDomainError(error: z.ZodError, prefix?: string): DomainError {
  const issue = error.issues[0];
  // An unknown key is reported on its parent object: name the key itself.
  const keys = issue.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
  const path = [prefix, ...issue.path.map(String), ...keys].filter(Boolean).join(".");
  const field = path || undefined;
  const message = field ? `${field}: ${issue.message}` : issue.message;
  const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
  const code: ErrorCode = missing ? "missing_required_field" : "invalid_parameter";
  return new DomainError(code, message, { field });
}

/** Postgres is down or restarting: a retryable 503, not a 500, and nothing is logged per request. */
export const databaseUnavailable = () =>
  errorResponse(
    new DomainError("database_unavailable", "The database is not reachable right now; try again in a moment", { retryAfterSeconds: 2 }),
  );

/** Maps anything a handler threw to a response. Unknown errors are a generic 500 that hides internals. */
export function errorToResponse(e: unknown, req: NextRequest, overrides?: StatusOverrides): Response {
  if (e instanceof DomainError) return errorResponse(e, { overrides });
  if (e instanceof z.ZodError) return errorResponse(zodToDomainError(e));
  if (isDatabaseUnavailable(e)) return databaseUnavailable();
  // Only the error's class, code and a scrubbed message: never the query string, the body or a
  // failed query's parameters (they may hold a source url with its password).
  log.error("unhandled API error", { method: req.method, route: req.nextUrl.pathname, ...describeForLog(e) });
  return errorResponse(new DomainError("internal_error", "Something went wrong on our side"));
}
