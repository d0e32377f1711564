/**
 * PROTOTYPE, not what `npm start` runs (it runs `next start`): Next.js's request handler inside our
 * own node:http server (Next.js's "custom server"), with GET /v1 reads answered by their route
 * handlers directly (web-reads.ts); everything else — pages, writes, streams, HEAD/OPTIONS, odd
 * paths — is Next.js's. Start it by hand after a build, with the env `npm start` gives the web
 * process: `NODE_ENV=production DATABASE_URL=… PORT=… node lib/bin/web-entry.cjs`.
 *
 * Measured against `next start` in the same runs (docs/benchmarks.md, "A /v1 read outside Next.js's
 * pipeline"): a one-job read costs 25–55 % less server CPU, but every request left to Next.js costs
 * about twice as much as under `next start` (/healthz 2.1–2.7 → 3.4–4.8 ms), for a reason not found
 * yet (not tsx's hooks: web-entry.cjs removes them, and source maps go off with them). Until that is
 * understood it would make pages and writes dearer, so it is not switched on.
 *
 * Two copies of lib/ live in this process: Next.js's bundle, and the one tsx loads for the fast
 * path. Whatever must be one per process is kept on globalThis by its module (the database pool in
 * db/client.ts, the principal cache and its auth_changed listener, the rate limiter's counts, the
 * log's secrets), so a key revoked through a Next.js-served write is refused by the fast path at
 * once, and a key's requests count against one limit whichever copy served them.
 */
import http from "node:http";
import next from "next";
import nextConfig from "@/next.config";
import { closeDb } from "@/db/client";
import { log } from "@/lib/runtime/log";

const port = Number(process.env.PORT ?? 3000);
/** What Next.js sets on an app route's response before its handler's own headers (base-server's setVaryHeader). */
const VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch";

/**
 * next.config.ts `headers()` as Next.js applies them to /v1 paths. Only a rule for every path
 * (`/:path*`) is understood here; any other rule would need Next.js's matcher, so the fast path
 * refuses to start rather than answer without it.
 */
async function configHeaders(): Promise<[string, string][]> {
  const rules = (await nextConfig.headers?.()) ?? [];
  const out: [string, string][] = [];
  for (const rule of rules) {
    if (rule.source !== "/:path*" || rule.has || rule.missing) {
      throw new Error(`web server: next.config.ts headers() rule for ${rule.source} is not supported by the /v1 read fast path`);
    }
    for (const h of rule.headers) out.push([h.key, h.value]);
  }
  return out;
}

async function main() {
  const server = http.createServer();
  const app = next({ dev: false, dir: process.cwd(), port, hostname: "localhost", httpServer: server });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Loaded after prepare(): the route modules import next/server, which needs the environment
  // (AsyncLocalStorage and the rest) Next.js's router server sets up first.
  // A require, not import(): web-entry.cjs loads our TypeScript through tsx's require hooks only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { answerRead, fastRead } = require("./web-reads") as typeof import("./web-reads");
  // Everything of ours is loaded: take tsx's require hooks off Next.js's per-request path (web-entry.cjs).
  (globalThis as { __webUnregisterTsx?: () => void }).__webUnregisterTsx?.();
  const fixedHeaders: [string, string][] = [...(await configHeaders()), ["vary", VARY]];
  // No compression: Next.js's compression middleware leaves route handlers' answers as they are
  // (no Content-Encoding, no Vary: Accept-Encoding, whatever the client accepts), and so does this.

  let inFlight = 0;
  server.on("request", (req, res) => {
    const read = fastRead(req);
    if (!read) {
      void handle(req, res);
      return;
    }
    inFlight++;
    res.once("close", () => inFlight--);
    answerRead(read, res, fixedHeaders).catch((e: unknown) => {
      // route() answers every error itself; this is a failure to write the answer.
      log.error("fast read failed", { route: read.nextReq.nextUrl.pathname, err: String((e as Error)?.message ?? e) });
      if (!res.headersSent) {
        res.statusCode = 500;
        for (const [name, value] of fixedHeaders) res.appendHeader(name, value);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ errors: [{ code: "internal_error", message: "Something went wrong on our side" }] }));
      } else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  // The line `next start` prints once it serves (the server's log reads the same either way).
  console.log(`✓ Ready on port ${port} (Next.js, /v1 reads answered directly)`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // No new connections; idle keep-alive ones close now, busy ones after their answer.
    server.close();
    server.closeIdleConnections();
    const deadline = Date.now() + 5_000;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await app.close().catch(() => {});
    await closeDb().catch(() => {});
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
