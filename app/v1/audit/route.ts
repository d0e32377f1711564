import { getDb } from "@/db/client";
import { json, parseQuery, route } from "@/lib/api/handler";
import { listAuditEvents } from "@/lib/audit";
import { auditQuery } from "@/lib/contracts/audit";

export const GET = route({ scope: "admin" }, async ({ req }) => json(await listAuditEvents(getDb(), parseQuery(req, auditQuery))));
