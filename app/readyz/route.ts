import { NextResponse } from "next/server";
import { getSql } from "@/db/client";

export const dynamic = "force-dynamic";

/** A readiness probe must answer fast even when the database hangs: give up after this long. */
const READY_TIMEOUT_MS = 800;

/** Readiness: the database answers and migrations have run. */
export async function GET() {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      getSql()`select 1 from sync_jobs limit 1`,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("readiness probe timed out")), READY_TIMEOUT_MS))),
    ]);
    return NextResponse.json({ status: "ready" });
  } catch {
    return NextResponse.json({ status: "unavailable" }, { status: 503 });
  } finally {
    clearTimeout(timer);
  }
}
