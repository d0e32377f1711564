import crypto from "node:crypto";

/**
 * Encryption keys come from the environment: `ENCRYPTION_KEY` seals everything new,
 * `ENCRYPTION_KEY_PREVIOUS` (comma-separated) still opens what older keys sealed, so a rotation
 * can run while processes with either key are up. A key is 32 random bytes, base64 or hex
 * (`openssl rand -base64 32`). Its id (a hash, not the key) is stored beside every sealed value.
 */
export type Key = { id: string; bytes: Buffer };

export class MissingKeyError extends Error {}

export function parseKey(text: string, name = "ENCRYPTION_KEY"): Key {
  const t = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(t)
    ? Buffer.from(t, "hex")
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(t)
      ? Buffer.from(t, "base64")
      : Buffer.alloc(0);
  if (bytes.length !== 32) {
    throw new MissingKeyError(`${name} must be 32 random bytes in base64 or hex (make one with: openssl rand -base64 32)`);
  }
  return { id: keyId(bytes), bytes };
}

export const keyId = (bytes: Buffer): string =>
  crypto.createHash("sha256").update("sync-console key id\0").update(bytes).digest("hex").slice(0, 12);

export const generateKey = (): string => crypto.randomBytes(32).toString("base64");

let cache: { raw: string; primary: Key; all: Map<string, Key> } | undefined;

/** The current key and every key that may open stored values, read from the environment once per value. */
export function keyring(): { primary: Key; all: Map<string, Key> } {
  const primaryRaw = process.env.ENCRYPTION_KEY ?? "";
  const previousRaw = process.env.ENCRYPTION_KEY_PREVIOUS ?? "";
  const raw = `${primaryRaw}|${previousRaw}`;
  if (cache?.raw === raw) return cache;
  if (!primaryRaw.trim()) {
    throw new MissingKeyError(
      "ENCRYPTION_KEY is not set: it encrypts stored source and warehouse credentials. Set it (openssl rand -base64 32) whenever DATABASE_URL is set.",
    );
  }
  const primary = parseKey(primaryRaw);
  const all = new Map<string, Key>([[primary.id, primary]]);
  for (const part of previousRaw.split(",").filter((p) => p.trim())) {
    const k = parseKey(part, "ENCRYPTION_KEY_PREVIOUS");
    if (!all.has(k.id)) all.set(k.id, k);
  }
  cache = { raw, primary, all };
  return cache;
}
