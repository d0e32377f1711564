import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/bcrypt";
import { invalid } from "@/lib/errors";

/**
 * bcrypt through a native binding (@node-rs/bcrypt): hashing and verifying run on libuv's thread
 * pool, not on the event loop, so a burst of sign-ins no longer stalls every other request
 * (bcryptjs computed ~100 ms per sign-in on the main thread). Hashes stay `$2b$`, so every hash
 * stored before the switch still verifies.
 */
const COST = 11;

/** bcrypt reads only the first 72 bytes of a password; longer ones are refused rather than silently cut. */
export const MAX_PASSWORD_BYTES = 72;

export function assertPasswordFits(password: string, field = "password"): void {
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
    throw invalid(`${field}: must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`, field);
  }
}

/** Refuses (400 naming `field`) a password bcrypt would truncate, for every caller: API, CLI, bootstrap. */
export async function hashPassword(password: string, field = "password"): Promise<string> {
  assertPasswordFits(password, field);
  return hash(password, COST);
}

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * False for a wrong password. A stored value that is not a bcrypt hash (and the placeholder
 * callers pass for unknown emails) is checked against a real hash of the same cost, so "no such
 * user" takes as long as "wrong password".
 */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  if (!BCRYPT_HASH.test(passwordHash)) {
    await verify(password, await dummyHash()).catch(() => false);
    return false;
  }
  try {
    return await verify(password, passwordHash);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A real hash of a random password, for callers that must spend a verify on an unknown email. */
export const dummyHash = (): Promise<string> => (dummy ??= hash(randomBytes(16).toString("hex"), COST));
