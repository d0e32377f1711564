/**
 * The /v1 read fast path of the web server (lib/bin/web.ts). Next.js spends about 3 ms of CPU on
 * every request before and after a route handler runs (routing, its async-storage scopes, the
 * Web Request/Response and their streams, headers and body written to the socket separately),
 * several times what a read's own work costs. A GET of a JSON read below skips that pipeline: it
 * calls the same exported `GET` of the same app/v1 route module — so validation, authentication,
 * scopes, rate limit, error envelope and headers come from the same code — with a NextRequest
 * built straight from the Node request, and writes the answer in one piece.
 *
 * Anything this table does not match exactly goes to Next.js unchanged: other methods (HEAD and
 * OPTIONS too), streamed routes (events, CSV export), the replication status (it asks the source
 * database, so what a request costs is that round trip), unknown paths, and any path Next.js would
 * rewrite or decode first (a `%`, a dot segment, a trailing slash, a character outside [\w.~-]).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { NextRequest } from "next/server";
import * as apiKey from "@/app/v1/apiKeys/[id]/route";
import * as apiKeys from "@/app/v1/apiKeys/route";
import * as audit from "@/app/v1/audit/route";
import * as integration from "@/app/v1/integrations/[_integrationId]/route";
import * as latestJobs from "@/app/v1/integrations/[_integrationId]/syncJobs/latest/route";
import * as integrations from "@/app/v1/integrations/route";
import * as overview from "@/app/v1/overview/route";
import * as jobErrors from "@/app/v1/syncJobs/[_syncJobId]/errors/route";
import * as jobErrorSummary from "@/app/v1/syncJobs/[_syncJobId]/errors/summary/route";
import * as jobFamily from "@/app/v1/syncJobs/[_syncJobId]/family/route";
import * as job from "@/app/v1/syncJobs/[_syncJobId]/route";
import * as checkpoints from "@/app/v1/syncs/[_syncId]/checkpoints/route";
import * as sync from "@/app/v1/syncs/[_syncId]/route";
import * as schedule from "@/app/v1/syncs/[_syncId]/schedule/route";
import * as syncJobs from "@/app/v1/syncs/[_syncId]/syncJobs/route";
import * as syncs from "@/app/v1/syncs/route";
import * as user from "@/app/v1/users/[id]/route";
import * as users from "@/app/v1/users/route";

type Get = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** `:name` is one path segment, handed to the handler as that param (as the `[name]` folder does in Next.js). */
const READS: [pattern: string, get: Get][] = [
  ["/v1/apiKeys", apiKeys.GET],
  ["/v1/apiKeys/:id", apiKey.GET],
  ["/v1/audit", audit.GET],
  ["/v1/integrations", integrations.GET],
  ["/v1/integrations/:_integrationId", integration.GET],
  ["/v1/integrations/:_integrationId/syncJobs/latest", latestJobs.GET],
  ["/v1/overview", overview.GET],
  ["/v1/syncJobs/:_syncJobId", job.GET],
  ["/v1/syncJobs/:_syncJobId/errors", jobErrors.GET],
  ["/v1/syncJobs/:_syncJobId/errors/summary", jobErrorSummary.GET],
  ["/v1/syncJobs/:_syncJobId/family", jobFamily.GET],
  ["/v1/syncs", syncs.GET],
  ["/v1/syncs/:_syncId", sync.GET],
  ["/v1/syncs/:_syncId/checkpoints", checkpoints.GET],
  ["/v1/syncs/:_syncId/schedule", schedule.GET],
  ["/v1/syncs/:_syncId/syncJobs", syncJobs.GET],
  ["/v1/users", users.GET],
  ["/v1/users/:id", user.GET],
];

type Node = { fixed: Map<string, Node>; param?: { name: string; node: Node }; get?: Get };
const newNode = (): Node => ({ fixed: new Map() });

/** A segment tree: a fixed segment wins over a param, as a static folder does over `[param]` in Next.js. */
const root = newNode();
for (const [pattern, get] of READS) {
  let node = root;
  for (const seg of pattern.split("/").slice(1)) {
    if (seg.startsWith(":")) {
      node.param ??= { name: seg.slice(1), node: newNode() };
      if (node.param.name !== seg.slice(1)) throw new Error(`two param names at one level: ${pattern}`);
      node = node.param.node;
    } else {
      if (!node.fixed.has(seg)) node.fixed.set(seg, newNode());
      node = node.fixed.get(seg)!;
    }
  }
  node.get = get;
}

const PLAIN_SEGMENT = /^[\w.~-]+$/;
const DOTS = /^\.+$/;

/**
 * The handler for a path, or null. A fixed segment that matches but leads nowhere does not fall
 * back to a param here: such a path (none exists today) is left to Next.js rather than guessed.
 */
export function matchRead(pathname: string): { get: Get; params: Record<string, string> } | null {
  if (!pathname.startsWith("/v1/")) return null;
  const segs = pathname.slice(1).split("/");
  let node = root;
  const params: Record<string, string> = {};
  for (const seg of segs) {
    if (!PLAIN_SEGMENT.test(seg) || DOTS.test(seg)) return null;
    const fixed = node.fixed.get(seg);
    if (fixed) node = fixed;
    else if (node.param) {
      params[node.param.name] = seg;
      node = node.param.node;
    } else return null;
  }
  return node.get ? { get: node.get, params } : null;
}

/** Request headers only Next.js's own client and internals send; such a request is Next.js's to answer. */
const NEXT_HEADERS = [
  "rsc",
  "next-router-prefetch",
  "next-router-state-tree",
  "next-router-segment-prefetch",
  "next-action",
  "x-nextjs-data",
];

export type FastRead = { nextReq: NextRequest; get: Get; params: Record<string, string> };

/** The fast path's request for a Node request, or null when Next.js must answer it. Synchronous: nothing is consumed. */
export function fastRead(req: IncomingMessage): FastRead | null {
  if (req.method !== "GET" || !req.url || req.url[0] !== "/") return null;
  const q = req.url.indexOf("?");
  const pathname = q < 0 ? req.url : req.url.slice(0, q);
  const match = matchRead(pathname);
  if (!match) return null;
  for (const h of NEXT_HEADERS) if (req.headers[h] !== undefined) return null;
  if (q >= 0 && /(^|&)_rsc=/.test(req.url.slice(q + 1))) return null;
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, value);
    }
    const url = new URL(req.url, `http://${req.headers.host ?? "localhost"}`);
    return { nextReq: new NextRequest(url, { method: "GET", headers }), ...match };
  } catch {
    // A header or host the Web APIs refuse: Next.js decides what such a request gets.
    return null;
  }
}

/**
 * Runs the route handler and writes its answer. `fixedHeaders` are what Next.js puts on every
 * response (next.config.ts `headers()`, its Vary); the handler's own headers come after and win,
 * as in Next.js. The body is written with the headers in one write.
 */
export async function answerRead(read: FastRead, res: ServerResponse, fixedHeaders: [string, string][]): Promise<void> {
  const response = await read.get(read.nextReq, { params: Promise.resolve(read.params) });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  res.statusCode = response.status;
  for (const [name, value] of fixedHeaders) res.appendHeader(name, value);
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  res.end(body);
}
