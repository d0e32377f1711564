import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. */
export const GET = () => NextResponse.json({ status: "ok" });
