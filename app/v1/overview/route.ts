import { getDb } from "@/db/client";
import { json, parseQuery, route } from "@/lib/api/handler";
import { overviewQuery } from "@/lib/contracts/overview";
import { getOverview } from "@/lib/overview/service";

export const dynamic = "force-dynamic";

export const GET = route({ scope: "sync:read" }, async ({ req }) => json(await getOverview(getDb(), parseQuery(req, overviewQuery))));
