import { type NextRequest, NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { principalFromSession, SESSION_COOKIE } from "@/lib/auth/principal";

/** The signed-in user and the CSRF token the UI must echo on every non-GET request. */
export async function GET(req: NextRequest): Promise<Response> {
  const token = req.cookies.get(SESSION_COOKIE)?.value;
  const principal = token ? await principalFromSession(getDb(), token) : null;
  if (principal?.kind !== "user") return NextResponse.json({ message: "Unauthorized" }, { status: 401 });
  return NextResponse.json(
    { email: principal.email, role: principal.role, csrfToken: principal.csrfToken },
    { headers: { "cache-control": "no-store" } },
  );
}
