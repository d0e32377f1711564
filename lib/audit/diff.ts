import type { AuditChanges } from "./record";

/**
 * Keys whose values are credentials or derived from them: a diff says they changed, never what
 * they were or became.
 */
const SECRET_KEYS = new Set(["url", "password", "passwordHash", "password_hash", "token", "tokenHash", "token_hash", "urlFingerprint"]);
const HIDDEN_KEYS = new Set(["urlFingerprint", "updatedAt", "updated_at"]);

type Flat = Map<string, unknown>;

function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      if (HIDDEN_KEYS.has(k)) continue;
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
    if (!prefix) return out;
    if (Object.keys(value).length === 0) out.set(prefix, {});
    return out;
  }
  out.set(prefix, value instanceof Date ? value.toISOString() : value);
  return out;
}

const isSecretPath = (path: string) => SECRET_KEYS.has(path.split(".").pop() ?? "");
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Field-by-field difference of two plain objects (dotted paths; arrays compare whole).
 * `before` undefined = created, `after` undefined = deleted. Secret fields show `{changed: true}`.
 */
export function auditDiff(before: object | undefined, after: object | undefined): AuditChanges {
  const a = flatten(before ?? {}, "", new Map());
  const b = flatten(after ?? {}, "", new Map());
  const out: AuditChanges = {};
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const from = a.get(path);
    const to = b.get(path);
    if (same(from, to)) continue;
    if (isSecretPath(path)) {
      out[path] = { changed: true };
      continue;
    }
    out[path] = { ...(a.has(path) ? { from } : {}), ...(b.has(path) ? { to } : {}) };
  }
  return out;
}
