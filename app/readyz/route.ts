import { NextResponse } from "next/server";
import { getSql } from "@/db/client";

export const dynamic = "force-dynamic";

/** Readiness: the database answers and migrations have run. */
export async function GET() {
  try {
    await getSql()`select 1 from sync_jobs limit 1`;
    return NextResponse.json({ status: "ready" });
  } catch {
    return NextResponse.json({ status: "unavailable" }, { status: 503 });
  }
}
