import { getDb } from "@/db/client";
import { actorFromPrincipal } from "@/lib/audit";
import { json, noContent, parseBody, route } from "@/lib/api/handler";
import { scheduleBody } from "@/lib/contracts/management";
import { deleteSchedule, getScheduleView, replaceSchedule } from "@/lib/scheduler/schedules";

type Params = { _syncId: string };

export const GET = route<Params>({ scope: "sync:read" }, async ({ params }) => json(await getScheduleView(getDb(), params._syncId)));

/** Replaces the whole schedule (cron, timezone, enabled); creates it when the sync has none. */
export const PUT = route<Params>({ scope: "admin" }, async ({ req, params, principal }) => {
  const body = await parseBody(req, scheduleBody);
  const db = getDb();
  await replaceSchedule(db, params._syncId, body, actorFromPrincipal(principal));
  return json(await getScheduleView(db, params._syncId));
});

export const DELETE = route<Params>({ scope: "admin" }, async ({ params, principal }) => {
  await deleteSchedule(getDb(), params._syncId, actorFromPrincipal(principal));
  return noContent();
});
