/**
 * The production web server `npm start` runs (lib/bin/start.ts spawns it, as it spawned `next start`
 * before): Next.js's own request handler inside our node:http server (Next.js's "custom server"),
 * with GET /v1 reads answered by their route handlers directly (web-reads.ts). Everything else —
 * pages, writes, streams, HEAD/OPTIONS, odd paths — is Next.js's, exactly as under `next start`.
 *
 * Two copies of lib/ live in this process: Next.js's bundle, and the one tsx loads for the fast
 * path. Whatever must be one per process is kept on globalThis by its module (the database pool in
 * db/client.ts, the principal cache and its auth_changed listener, the rate limiter's counts), so
 * a key revoked through a Next.js-served write is refused by the fast path at once, and a key's
 * requests count against one limit whichever copy served them.
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
  const { answerRead, fastRead } = await import("./web-reads");
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
  log.info("web server listening", { port });

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
