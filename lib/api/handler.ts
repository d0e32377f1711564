import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { getDb, isDatabaseUnavailable } from "@/db/client";
import {
  CSRF_HEADER,
  type Principal,
  principalFromSession,
  principalFromToken,
  type Scope,
  SESSION_COOKIE,
} from "@/lib/auth/principal";
import { safeEqual } from "@/lib/auth/tokens";
import { log } from "@/lib/runtime/log";
import { ApiError } from "./errors";
import { consumeRateLimit } from "./rate-limit";
import {
  assertStorableJson,
  assertStorableParams,
  describeForLog,
  isJsonMediaType,
  unsupportedMediaType,
} from "./request-guards";

export type RouteContext<P> = { req: NextRequest; params: P; principal: Principal };
type NextCtx = { params: Promise<Record<string, string | string[]>> };

const MAX_BODY_BYTES = 1_000_000;

/** The error envelope every non-401 error uses. */
export function errorResponse(err: ApiError): NextResponse {
  const { field, source, headers, ...extra } = err.details;
  const item = { code: err.code, message: err.message, ...(field ? { field } : {}), ...(source ? { source } : {}), ...stripUndefined(extra) };
  return NextResponse.json({ errors: [item] }, { status: err.status, headers: headers as Record<string, string> | undefined });
}

const stripUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Turns a zod failure into a 400 that names the first bad field (dotted path). */
export function zodToApiError(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0];
  // An unknown key is reported on its parent object: name the key itself.
  const keys = issue.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
  const path = [prefix, ...issue.path.map(String), ...keys].filter(Boolean).join(".");
  const field = path || undefined;
  const message = field ? `${field}: ${issue.message}` : issue.message;
  const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
  const code = missing ? "missing_required_field" : "invalid_parameter";
  return new ApiError(400, code, message, { field });
}

async function authenticate(req: NextRequest): Promise<Principal | NextResponse> {
  const header = req.headers.get("authorization");
  const db = getDb();
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? await principalFromToken(db, match[1]) : null;
    return principal ?? NextResponse.json({ message: "Bearer Authentication Failed" }, { status: 401 });
  }
  const cookie = req.cookies.get(SESSION_COOKIE)?.value;
  if (cookie) {
    const principal = await principalFromSession(db, cookie);
    if (principal && principal.kind === "user") {
      // Browser writes must echo the session's CSRF token in a header a cross-site form cannot set.
      if (!["GET", "HEAD", "OPTIONS"].includes(req.method)) {
        const sent = req.headers.get(CSRF_HEADER) ?? "";
        if (!safeEqual(sent, principal.csrfToken)) {
          return errorResponse(new ApiError(403, "csrf_failed", `Missing or wrong ${CSRF_HEADER} header`));
        }
      }
      return principal;
    }
  }
  return NextResponse.json({ message: "Unauthorized" }, { status: 401 });
}

export type RouteOptions = {
  /** The scope the caller needs; `null` = anonymous (the handler does its own checks, e.g. sign-in). */
  scope: Scope | null;
  /**
   * Demand `Content-Type: application/json` even without a body. Sign-in uses it: a cross-site form
   * can only send simple content types, so a JSON-only endpoint cannot be posted to without a CORS
   * preflight, which we never grant (this closes login CSRF without a token).
   */
  requireJson?: boolean;
};

/**
 * The one wrapper every /v1 and /api handler goes through: hostile-input checks, auth, scope, rate
 * limit, error mapping. A handler body is then: parse, call a service, return JSON.
 */
export function route<P extends Record<string, string> = Record<string, never>>(
  opts: RouteOptions,
  fn: (ctx: RouteContext<P>) => Promise<Response>,
) {
  return async (req: NextRequest, ctx: NextCtx): Promise<Response> => {
    try {
      const params = ((await ctx?.params) ?? {}) as P;
      // Before auth and before any query: nothing unstorable reaches Postgres, and a streamed
      // response (the CSV export) is refused before its first byte.
      assertStorableParams(Object.entries(params));
      assertStorableParams(req.nextUrl.searchParams.entries());
      // A body is checked where it is read (parseBody: anything but JSON is a 415); a route that reads
      // none ignores one, as bodiless calls like cancel and run always have.
      if (opts.requireJson && !SAFE_METHODS.includes(req.method) && !isJsonMediaType(req.headers.get("content-type"))) {
        throw unsupportedMediaType();
      }
      const principal = opts.scope === null ? anonymous : await authenticate(req);
      if (principal instanceof NextResponse) return principal;
      // Browser sessions are people clicking; the per-key limit is for programmatic callers.
      const limitHeaders = principal.kind === "apiKey" && principal.id ? await consumeRateLimit(principal.id, principal.rateLimitPerMinute ?? null) : {};
      if (opts.scope && !principal.scopes.includes(opts.scope)) {
        throw new ApiError(403, "insufficient_scope", `This action needs the ${opts.scope} scope`);
      }
      const res = await fn({ req, params, principal });
      for (const [name, value] of Object.entries(limitHeaders)) res.headers.set(name, value);
      return res;
    } catch (e) {
      return errorToResponse(e, req);
    }
  };
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

/** Postgres is down or restarting: a retryable 503, not a 500, and nothing is logged per request. */
export const databaseUnavailable = () =>
  errorResponse(new ApiError(503, "database_unavailable", "The database is not reachable right now; try again in a moment", { headers: { "retry-after": "2" } }));

/** Maps anything a handler threw to a response. Unknown errors are a generic 500 that hides internals. */
export function errorToResponse(e: unknown, req: NextRequest): Response {
  if (e instanceof ApiError) return errorResponse(e);
  if (e instanceof z.ZodError) return errorResponse(zodToApiError(e));
  if (isDatabaseUnavailable(e)) return databaseUnavailable();
  // Only the error's class, code and a scrubbed message: never the query string, the body or a
  // failed query's parameters (they may hold a source url with its password).
  log.error("unhandled API error", { method: req.method, route: req.nextUrl.pathname, ...describeForLog(e) });
  return errorResponse(new ApiError(500, "internal_error", "Something went wrong on our side"));
}

const anonymous: Principal = { kind: "apiKey", id: "", name: "anonymous", scopes: [] };

/** Reads and validates a JSON body. An empty body validates as `{}` (the seed allows omitting it). */
export async function parseBody<T extends z.ZodType>(req: NextRequest, schema: T): Promise<z.infer<T>> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", `Request body is over ${MAX_BODY_BYTES} bytes`);
  const text = await readCapped(req);
  let data: unknown = {};
  if (text.trim() !== "") {
    if (!isJsonMediaType(req.headers.get("content-type"))) throw unsupportedMediaType();
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "Request body is not valid JSON");
    }
  }
  assertStorableJson(data);
  const result = schema.safeParse(data);
  if (!result.success) throw zodToApiError(result.error);
  return result.data;
}

async function readCapped(req: NextRequest): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiError(413, "payload_too_large", `Request body is over ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Validates query parameters (all strings; use z.coerce for numbers). The wrapper already refused unstorable ones. */
export function parseQuery<T extends z.ZodType>(req: NextRequest, schema: T): z.infer<T> {
  const raw: Record<string, string> = {};
  req.nextUrl.searchParams.forEach((v, k) => (raw[k] = v));
  const result = schema.safeParse(raw);
  if (!result.success) throw zodToApiError(result.error);
  return result.data;
}

export const json = (data: unknown, init?: ResponseInit) => NextResponse.json(data, init);
export const noContent = () => new NextResponse(null, { status: 204 });
