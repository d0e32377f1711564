import crypto from "node:crypto";
import { registerSecret } from "@/lib/runtime/log";
import { type Key, keyring } from "./keys";

/**
 * One sealed value: `sealed:v1:<key id>:<base64url(iv | tag | ciphertext)>`, AES-256-GCM.
 * The key id lets `secrets rotate` find what an old key sealed and lets several keys coexist.
 */
const PREFIX = "sealed:v1:";
const AAD = Buffer.from("sync-console credential");

export const isSealed = (v: unknown): v is string => typeof v === "string" && v.startsWith(PREFIX);

export function sealValue(plain: string): string {
  registerSecret(plain);
  const { primary } = keyring();
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", primary.bytes, iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${PREFIX}${primary.id}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
}

export class SealError extends Error {}

export function openValue(sealed: string): string {
  const rest = sealed.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  const kid = rest.slice(0, colon);
  const key = keyring().all.get(kid);
  if (!key) {
    throw new SealError(`A stored credential was sealed with key ${kid}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEY_PREVIOUS`);
  }
  const blob = Buffer.from(rest.slice(colon + 1), "base64url");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key.bytes, blob.subarray(0, 12));
  decipher.setAAD(AAD);
  decipher.setAuthTag(blob.subarray(12, 28));
  let plain: string;
  try {
    plain = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new SealError(`A stored credential sealed with key ${kid} does not decrypt (wrong key or altered value)`);
  }
  registerSecret(plain);
  return plain;
}

/** Key id of a sealed value (rotation skips values already under the current key). */
export const sealedKeyId = (sealed: string): string => sealed.slice(PREFIX.length).split(":")[0];

/**
 * Tells two warehouses apart without storing where they are in the clear: an HMAC of
 * host:port/database under a key derived from the current encryption key.
 */
export function fingerprint(normalized: string): string {
  return fingerprintWith(keyring().primary, normalized);
}

/** The fingerprint under every known key: during a rotation, rows may still carry an old key's. */
export const fingerprintsAllKeys = (normalized: string): string[] => [...keyring().all.values()].map((k) => fingerprintWith(k, normalized));

function fingerprintWith(key: Key, normalized: string): string {
  const k = Buffer.from(crypto.hkdfSync("sha256", key.bytes, Buffer.alloc(0), Buffer.from("sync-console url fingerprint"), 32));
  return `${key.id}:${crypto.createHmac("sha256", k).update(normalized).digest("base64url").slice(0, 32)}`;
}
