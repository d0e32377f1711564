import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { CSRF_HEADER, type Principal, principalFromSession, principalFromToken, SESSION_COOKIE } from "@/lib/auth/principal";
import { watchAccess } from "@/lib/auth/access-watch";
import { safeEqual } from "@/lib/auth/tokens";
import type { Scope } from "@/lib/contracts/scopes";
import { DomainError } from "@/lib/errors";
import { errorResponse, errorToResponse, zodToDomainError } from "./error-response";
import type { StatusOverrides } from "./error-status";
import { consumeRateLimit } from "./rate-limit";
import { assertStorableJson, assertStorableParams, isJsonMediaType, unsupportedMediaType } from "./request-guards";

export type RouteContext<P> = {
  req: NextRequest;
  params: P;
  principal: Principal;
  /** For a response that outlives the request's checks (a stream): `onLost` once its credential no longer grants it. */
  watchAccess: (onLost: () => void) => () => void;
};
type NextCtx = { params: Promise<Record<string, string | string[]>> };

const MAX_BODY_BYTES = 1_000_000;

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
          return errorResponse(new DomainError("csrf_failed", `Missing or wrong ${CSRF_HEADER} header`));
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
  /** Codes this route answers with another status than the table's (sign-in's and password change's `invalid_credentials`). */
  statusOverrides?: StatusOverrides;
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
      const limit =
        principal.kind === "apiKey" && principal.id ? await consumeRateLimit(principal.id, principal.rateLimitPerMinute ?? null) : null;
      if (limit?.refused) return errorResponse(limit.refused, { headers: limit.headers });
      const limitHeaders = limit?.headers ?? {};
      if (opts.scope && !principal.scopes.includes(opts.scope)) {
        throw new DomainError("insufficient_scope", `This action needs the ${opts.scope} scope`);
      }
      const stillAllowed = async () => {
        const again = await authenticate(req);
        return !(again instanceof NextResponse) && (!opts.scope || again.scopes.includes(opts.scope));
      };
      const res = await fn({ req, params, principal, watchAccess: (onLost) => watchAccess(stillAllowed, onLost) });
      for (const [name, value] of Object.entries(limitHeaders)) res.headers.set(name, value);
      return res;
    } catch (e) {
      return errorToResponse(e, req, opts.statusOverrides);
    }
  };
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

const anonymous: Principal = { kind: "apiKey", id: "", name: "anonymous", scopes: [] };

/** Reads and validates a JSON body. An empty body validates as `{}` (the seed allows omitting it). */
export async function parseBody<T extends z.ZodType>(req: NextRequest, schema: T): Promise<z.infer<T>> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readCapped(req);
  let data: unknown = {};
  if (text.trim() !== "") {
    if (!isJsonMediaType(req.headers.get("content-type"))) throw unsupportedMediaType();
    try {
      data = JSON.parse(text);
    } catch {
      throw new DomainError("invalid_json", "Request body is not valid JSON");
    }
  }
  assertStorableJson(data);
  const result = schema.safeParse(data);
  if (!result.success) throw zodToDomainError(result.error);
  return result.data;
}

const tooLarge = () => new DomainError("payload_too_large", `Request body is over ${MAX_BODY_BYTES} bytes`);

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
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Validates query parameters (all strings; use z.coerce for numbers). The wrapper already refused unstorable ones. */
/**
 * Reads and validates the query string. A parameter the endpoint does not know is a 400 naming it
 * (with the known one it looks like, if any): a mistyped filter silently ignored would answer with
 * everything, and a script acting on that answer would act on everything.
 */
export function parseQuery<T extends z.ZodType>(req: NextRequest, schema: T): z.infer<T> {
  const raw: Record<string, string> = {};
  req.nextUrl.searchParams.forEach((v, k) => (raw[k] = v));
  if (schema instanceof z.ZodObject) {
    const known = Object.keys(schema.shape);
    const unknown = Object.keys(raw).find((k) => !known.includes(k));
    if (unknown !== undefined) {
      const like = known.find((k) => k.replace(/^_/, "").toLowerCase() === unknown.replace(/^_/, "").toLowerCase());
      throw new DomainError("invalid_parameter", `Unknown query parameter ${unknown}${like ? ` (did you mean ${like}?)` : ""}`, {
        field: unknown,
      });
    }
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw zodToDomainError(result.error);
  return result.data;
}

export const json = (data: unknown, init?: ResponseInit) => NextResponse.json(data, init);
export const noContent = () => new NextResponse(null, { status: 204 });

/**
 * The value of a Promise.allSettled entry, or its error rethrown. Lets a handler start its existence
 * check and its page together and still report them in order (a 404 before the page's own 400).
 */
export function settled<T>(r: PromiseSettledResult<T>): T {
  if (r.status === "rejected") throw r.reason;
  return r.value;
}
