import net from "node:net";
import postgres from "postgres";
import type { ConnectionTarget } from "./target";

/** Short on purpose: someone is waiting in a form for the answer. */
export const CONNECT_TIMEOUT_S = 5;
const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * The most a check or a discovery may take, whatever the other end does. postgres.js retries a
 * connection that closes before it is ready (a proxy or firewall that accepts, then drops) without
 * end, restarting its connect timeout each time; past this the probe is ended and what waits on it fails.
 */
const probeDeadlineMs = () => Number(process.env.PROBE_DEADLINE_MS ?? 20_000);

/** One connection to a user's database for a check or a discovery, with tight timeouts. */
export function openProbe(t: ConnectionTarget): postgres.Sql {
  const sql = postgres(t.url, {
    max: 1,
    connect_timeout: CONNECT_TIMEOUT_S,
    idle_timeout: 5,
    max_lifetime: 60,
    prepare: false,
    onnotice: () => {},
    // Startup parameters: the server applies them before our first query runs.
    connection: { application_name: "sync-console-check", statement_timeout: STATEMENT_TIMEOUT_MS },
  });
  setTimeout(() => void sql.end({ timeout: 0 }).catch(() => {}), probeDeadlineMs()).unref();
  return sql;
}

export async function closeProbe(sql: postgres.Sql): Promise<void> {
  await sql.end({ timeout: 1 }).catch(() => {});
}

/**
 * Is anything listening on host:port? Tried before the driver so "nothing answers" and "wrong
 * password" are told apart without reading driver error text.
 */
export function tcpReachable(
  host: string,
  port: number,
  timeoutMs = CONNECT_TIMEOUT_S * 1000,
): Promise<{ ok: true } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (r: { ok: true } | { ok: false; code: string }) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, code: "CONNECT_TIMEOUT" }));
    socket.once("connect", () => done({ ok: true }));
    socket.once("error", (e: NodeJS.ErrnoException) => done({ ok: false, code: e.code ?? "ECONNREFUSED" }));
  });
}
