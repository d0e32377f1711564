import { redact } from "@/lib/runtime/log";

/**
 * What a stored job error or an API response may say about a failed connection. Whether a
 * host:port refused, timed out or does not resolve would let anyone who can create a sync map
 * the network the workers sit in, so all of those read the same. Errors from a Postgres that
 * answered (wrong password, missing table) keep their text, scrubbed of credentials.
 */
export const UNREACHABLE_MESSAGE =
  "The database server could not be reached (check the host, the port and that it accepts connections from here)";

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ECONNRESET",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);
const NETWORK_TEXT =
  /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ECONNRESET|CONNECT_TIMEOUT|getaddrinfo)\b|write CONNECTION_CLOSED|connect_timeout/;

export function isNetworkFailure(e: unknown): boolean {
  for (
    let cur = e as { code?: unknown; cause?: unknown; errors?: unknown[]; message?: unknown } | undefined, depth = 0;
    cur && depth < 5;
    depth++
  ) {
    if (typeof cur.code === "string" && NETWORK_CODES.has(cur.code)) return true;
    if (typeof cur.message === "string" && NETWORK_TEXT.test(cur.message)) return true;
    if (Array.isArray(cur.errors) && cur.errors.some(isNetworkFailure)) return true;
    cur = cur.cause as typeof cur;
  }
  return false;
}

/**
 * The connection was lost or could not be made: the network, or a server that is shutting down,
 * starting up, out of connection slots or that cut ours (SQLSTATE 08, 57P01–57P03, 53300). Worth
 * retrying for as long as a restart takes, unlike a lock or a statement timeout.
 */
export function isConnectionLoss(e: unknown): boolean {
  if (isNetworkFailure(e)) return true;
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, depth = 0; cur && depth < 5; depth++) {
    if (typeof cur.code === "string" && /^(08[0-9A-Z]{3}|57P0[123]|53300)$/.test(cur.code)) return true;
    cur = cur.cause as typeof cur;
  }
  return false;
}

export function publicErrorMessage(e: unknown): string {
  if (isNetworkFailure(e)) return UNREACHABLE_MESSAGE;
  return redact(e instanceof Error ? e.message : String(e));
}
