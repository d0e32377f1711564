import type { NextRequest } from "next/server";
import { Registry } from "prom-client";
import { getSql } from "@/db/client";
import { route } from "@/lib/api/handler";
import { safeEqual } from "@/lib/auth/tokens";
import { collectReplicationLag } from "@/lib/engine/sources/cdc/metrics";
import { collectors } from "./collectors";

export const dynamic = "force-dynamic";

async function scrape(): Promise<Response> {
  const sql = getSql();
  const registry = new Registry();
  await Promise.all([...collectors, collectReplicationLag].map((collect) => collect(sql, registry)));
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}

const withApiKey = route({ scope: "sync:read" }, scrape);
const withMetricsToken = route({ scope: null }, scrape);

/**
 * Prometheus scrape endpoint. Needs a bearer token with `sync:read` (an API key, checked by the
 * route wrapper like any /v1 call), or `METRICS_TOKEN` when set, so a Prometheus server needs no
 * key in the database.
 */
export async function GET(req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }): Promise<Response> {
  const expected = process.env.METRICS_TOKEN;
  const sent = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (expected && sent && safeEqual(sent, expected)) return withMetricsToken(req, ctx);
  return withApiKey(req, ctx);
}
