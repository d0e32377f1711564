import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

/** 256-bit random tokens; only their sha256 is stored. */
export const newSecret = (prefix: string): string => `${prefix}${randomBytes(32).toString("base64url")}`;

export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
