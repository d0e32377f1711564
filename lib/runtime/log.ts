import pino from "pino";

/**
 * Structured JSON logs on stdout. Every string written is scrubbed of credentials, whatever key
 * (or Error message, or nested object) it sits in: URL passwords (`postgres://user:***@host`),
 * `password=…` pairs, and every secret this process has decrypted or been handed (`registerSecret`).
 */
// On globalThis: one process can hold two copies of lib/ (Next.js's bundle beside modules loaded
// directly, as a custom server does); a secret one copy decrypted must be scrubbed from the other's lines too.
const shared = globalThis as unknown as { __logSecrets?: Set<string> };
const secrets = (shared.__logSecrets ??= new Set<string>());
const MIN_SECRET_LENGTH = 4;

/** Remembers a credential so no log line ever shows it, even mangled into another message. */
export function registerSecret(value: string | undefined | null): void {
  if (!value || secrets.size > 10_000) return;
  if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  // A url's password also travels alone (driver errors, "password authentication failed for …").
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:([^/?#@]*)@/i.exec(value);
  if (m) {
    for (const p of [m[1], safeDecode(m[1])]) if (p.length >= MIN_SECRET_LENGTH) secrets.add(p);
  }
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*):[^\s/?#@'"]*@/gi;
const PASSWORD_PAIR = /\b(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*|"\s*:\s*")("?)[^\s&;,'"}]+/gi;

export function redact(text: string): string {
  let out = text.replace(URL_USERINFO, "$1:***@").replace(PASSWORD_PAIR, "$1$2$3***");
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("***");
  return out;
}

/** A deep copy with every string redacted; an Error is copied with its message, stack, cause and fields redacted. */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value) || depth > 8) return "[…]";
  seen.add(value);
  if (value instanceof Error) {
    const copy = Object.assign(new Error(redact(value.message)), scrub({ ...value }, depth + 1, seen) as object);
    copy.name = value.name;
    copy.stack = value.stack ? redact(value.stack) : undefined;
    if (value.cause !== undefined) copy.cause = scrub(value.cause, depth + 1, seen);
    return copy;
  }
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1, seen)]));
}

const NAMED_SECRETS = ["password", "url", "token", "source", "destination", "parameters"];

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { pid: process.pid },
  // Named keys first (a config never reaches the log at all), then every remaining string is scrubbed.
  redact: { paths: [...NAMED_SECRETS.map((k) => `*.${k}`), ...NAMED_SECRETS], censor: "[redacted]" },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
    },
  },
});

type Fields = Record<string, unknown>;
export const log = {
  info: (msg: string, fields: Fields = {}) => logger.info(fields, msg),
  warn: (msg: string, fields: Fields = {}) => logger.warn(fields, msg),
  error: (msg: string, fields: Fields = {}) => logger.error(fields, msg),
  debug: (msg: string, fields: Fields = {}) => logger.debug(fields, msg),
};
