import { DrizzleQueryError } from "drizzle-orm/errors";
import { DomainError } from "@/lib/errors";

/**
 * Checks the route wrapper runs on every request before a handler sees it, so no route can
 * forget them: strings Postgres cannot store, nesting that would exhaust the stack, and the
 * exact JSON media type on writes.
 */

// Postgres `text`/`jsonb` cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8 form (the
// driver would silently turn it into U+FFFD). Either is a client bug or an attack: refuse it.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isStorable = (s: string): boolean => !UNSTORABLE.test(s);

/** Our own configs nest five levels; 32 leaves room and keeps zod and the walk below off the stack limit. */
export const MAX_JSON_DEPTH = 32;

const dotted = (path: (string | number)[]) => path.map(String).join(".");

const unstorable = (field: string) =>
  new DomainError("invalid_parameter", `${field || "body"}: contains a NUL byte or an unpaired surrogate, which cannot be stored`, {
    field: field || undefined,
  });

/** Throws a 400 naming the first string (value or key) Postgres cannot store, or the first too-deep node. */
export function assertStorableJson(value: unknown, path: (string | number)[] = []): void {
  if (typeof value === "string") {
    if (!isStorable(value)) throw unstorable(dotted(path));
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (path.length >= MAX_JSON_DEPTH) {
    throw new DomainError("invalid_parameter", `${dotted(path)}: nested more than ${MAX_JSON_DEPTH} levels deep`, { field: dotted(path) });
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertStorableJson(item, [...path, i]));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    // A bad key is named by its (sanitised) position so the message itself stays printable.
    if (!isStorable(key)) throw unstorable(dotted([...path, key.replace(UNSTORABLE_ALL, "?")]));
    assertStorableJson(item, [...path, key]);
  }
}
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

/** Query-string and path parameters: the same rule, named by the parameter. */
export function assertStorableParams(params: Iterable<[string, string]>): void {
  for (const [name, value] of params) {
    if (!isStorable(name)) throw unstorable(name.replace(UNSTORABLE_ALL, "?"));
    if (!isStorable(value)) throw unstorable(name);
  }
}

/**
 * True for exactly `application/json`, optionally with `charset=utf-8` (RFC 9110 media type:
 * case-insensitive type and parameter names, optional whitespace around `;`). Anything else — in
 * particular `text/plain; application/json`, which a cross-site form may send without a CORS
 * preflight — is not JSON.
 */
export function isJsonMediaType(header: string | null): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(";");
  if (type.trim().toLowerCase() !== "application/json") return false;
  return params.every((p) => {
    const m = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("?)([!#$%&'*+.^_`|~0-9A-Za-z-]+)\2\s*$/.exec(p);
    return !!m && m[1].toLowerCase() === "charset" && m[3].toLowerCase() === "utf-8";
  });
}

export const unsupportedMediaType = () =>
  new DomainError("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json)");

/**
 * What the 500 fallback may log about an unexpected error: its class, code and a scrubbed message,
 * never the failed query's parameters or the request body. Drizzle wraps driver errors in a
 * DrizzleQueryError whose message embeds the parameters (a sync's source url, with its password),
 * so the wrapper itself is skipped and only the driver's error is described.
 */
export function describeForLog(e: unknown): { errClass: string; code?: string; message: string; at?: string[] } {
  let err = e;
  const wrappers: string[] = [];
  while (err instanceof DrizzleQueryError && err.cause) {
    wrappers.push("DrizzleQueryError");
    err = err.cause;
  }
  if (err instanceof DrizzleQueryError) return { errClass: "DrizzleQueryError", message: "query failed (no driver error attached)" };
  if (!(err instanceof Error)) return { errClass: typeof err, message: "(not an Error)" };
  const code = (err as { code?: unknown }).code;
  // Stack frames name our functions and files only; the first line (the message) is dropped.
  const at = err.stack
    ?.split("\n")
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 5)
    .map((l) => l.trim());
  return {
    errClass: [...wrappers, err.constructor?.name || err.name].join(" > "),
    ...(typeof code === "string" || typeof code === "number" ? { code: String(code) } : {}),
    message: scrubMessage(err.message),
    ...(at?.length ? { at } : {}),
  };
}

/** Quoted values (Postgres quotes the offending input) and URL credentials out; length capped. */
export function scrubMessage(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1[redacted]@")
    .slice(0, 300);
}
