import { normalizedTarget, parsePostgresUrl, targetSpellings } from "@/lib/contracts/postgres-url";
import { fingerprint, fingerprintsAllKeys, isSealed, openValue, sealValue } from "./seal";

/**
 * Source and destination configs as stored in `syncs`: the `url` (the only credential they hold)
 * is sealed, and a destination also carries `urlFingerprint`, which tells two warehouses apart
 * (`assertDestinationFree`) without the url. Everything else stays plain JSON for queries.
 */
type WithUrl = { url?: unknown; urlFingerprint?: unknown; [k: string]: unknown };

/** Seals `url` (idempotent: an already sealed value is kept as it is). */
export function sealConfig<T extends object>(config: T, opts: { fingerprint?: boolean } = {}): T {
  const c = config as WithUrl;
  if (typeof c.url !== "string" || !c.url) {
    const { urlFingerprint: _drop, ...rest } = c;
    return rest as T;
  }
  const out: WithUrl = { ...c, url: isSealed(c.url) ? c.url : sealValue(c.url) };
  if (opts.fingerprint) {
    const plain = isSealed(c.url) ? openValue(c.url) : c.url;
    out.urlFingerprint = urlFingerprint(plain);
  }
  return out as T;
}

/** The config with its url in the clear and no fingerprint: what sources, destinations and edits work with. */
export function openConfig<T>(config: T): T {
  if (!config || typeof config !== "object") return config;
  const { urlFingerprint: _drop, ...rest } = config as WithUrl;
  if (isSealed(rest.url)) rest.url = openValue(rest.url);
  return rest as T;
}

/** Fingerprint of a url's server and database (user and password play no part). */
export function urlFingerprint(url: string): string {
  const target = parsePostgresUrl(url);
  return fingerprint(target ? normalizedTarget(target) : url);
}

/** The url's fingerprint under every known key and every stored spelling (stored rows may predate a rotation). */
export function urlFingerprints(url: string): string[] {
  const target = parsePostgresUrl(url);
  return target ? targetSpellings(target).flatMap(fingerprintsAllKeys) : fingerprintsAllKeys(url);
}
