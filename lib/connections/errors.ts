import type { CheckName } from "@/lib/contracts/connections";
import type { ConnectionTarget } from "./target";
import { hostPort } from "./target";

type PgLikeError = { code?: string; message?: string; errno?: string };

/** A connection failure in plain words, attributed to the check it belongs to. */
export type Explained = { check: CheckName; message: string };

/**
 * Turns a driver or server error into a sentence a person can act on. Server messages are
 * never passed through as they are: some quote the connection string back, and none of them is
 * worth a stack trace's worth of detail to the reader.
 */
export function explainConnectionError(e: unknown, t: ConnectionTarget): Explained {
  const err = (e ?? {}) as PgLikeError;
  const code = err.code ?? err.errno ?? "";
  const at = hostPort(t);
  switch (code) {
    case "ECONNREFUSED":
      return {
        check: "reachable",
        message: `Nothing answers on ${at}. Check the host and port, and that the server accepts TCP connections.`,
      };
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return { check: "reachable", message: `The host name ${t.host} could not be found.` };
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
      return { check: "reachable", message: `${at} did not answer within 5 seconds (a firewall, or the wrong host).` };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return { check: "reachable", message: `There is no network route to ${at}.` };
    case "ECONNRESET":
    case "CONNECTION_CLOSED":
    case "CONNECTION_ENDED":
    case "CONNECTION_DESTROYED": // the probe's deadline: it kept hanging up before the handshake ended
      return { check: "reachable", message: `${at} closed the connection; is it a Postgres server?` };
    case "28P01":
      return { check: "credentials", message: `The password for user ${t.user} was refused.` };
    case "28000":
      return {
        check: "credentials",
        message: /no encryption/i.test(err.message ?? "")
          ? `The server at ${at} only accepts encrypted connections; add ?sslmode=require to the URL.`
          : `The server refused user ${t.user} (the role does not exist, or may not connect from here).`,
      };
    case "SASL_SIGNATURE_MISMATCH":
    case "AUTH_TYPE_NOT_IMPLEMENTED":
      return { check: "credentials", message: `The server at ${at} asked for a sign-in method we cannot use for user ${t.user}.` };
    case "3D000":
      return { check: "database", message: `Database ${t.database} does not exist on ${at}.` };
    case "42501":
      return { check: "rights", message: `User ${t.user} lacks a privilege this needs.` };
    case "53300":
      return { check: "reachable", message: `${at} has no free connections right now; try again in a moment.` };
    case "57P03":
      return { check: "reachable", message: `${at} is starting up or shutting down; try again in a moment.` };
    case "57014":
      return { check: "rights", message: `A query on ${t.database} took too long and was stopped.` };
    default:
      if (/ssl|tls|certificate/i.test(`${code} ${err.message ?? ""}`)) {
        return { check: "reachable", message: `An encrypted connection to ${at} could not be set up; check sslmode in the URL.` };
      }
      return { check: "reachable", message: `Could not talk to ${at}${code ? ` (error ${code})` : ""}.` };
  }
}
