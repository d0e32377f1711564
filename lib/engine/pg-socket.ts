import net from "node:net";

/**
 * postgres.js opens its TCP sockets with Nagle's algorithm on (Node's default). A COPY writes its
 * rows and then a tiny CopyDone message: Nagle holds that message back until the server has ACKed
 * the rows, and the server's delayed ACK waits up to 40 ms — so every batch stalled ~40–50 ms
 * (on a 1M-row load, 200 batches of 5,000: ~9 s of a ~16 s resync spent waiting). libpq, pgjdbc and
 * node-postgres all set TCP_NODELAY on their connections; this does the same for ours.
 *
 * Uses postgres.js's `socket` option (documented in its README, missing from its types). The socket
 * is returned while still connecting: postgres.js queues its startup message on it, arms its own
 * connect_timeout and handles TLS on top, exactly as with the sockets it makes itself.
 */
type ParsedOptions = { host: string[]; port: number[]; path?: string | false };

function noDelaySocket(): (options: ParsedOptions) => net.Socket {
  let next = 0; // several hosts: try them in turn, as postgres.js does
  return (o) => {
    if (o.path) return net.connect({ path: o.path });
    const i = next++ % o.port.length;
    const socket = net.connect({ host: o.host[i], port: o.port[i], noDelay: true });
    // postgres.js reads these when it upgrades the socket to TLS (server name for SNI).
    return Object.assign(socket, { host: o.host[i], port: o.port[i] });
  };
}

/** Adds the TCP_NODELAY socket factory to a postgres.js options object. */
export function withNoDelay<T extends object>(options: T): T {
  return Object.assign(options, { socket: noDelaySocket() });
}
