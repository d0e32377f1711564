import { type NextRequest, NextResponse } from "next/server";

/**
 * Runs before routing. A path that is not valid percent-encoded UTF-8 (`/v1/syncs/%C3%28`, an
 * encoded lone surrogate) makes Next.js's own decoding of route params throw, which it answers
 * with a bare 500; refuse it here with a 400 instead (the error envelope for the API).
 */
export function proxy(req: NextRequest) {
  const raw = req.nextUrl.pathname;
  try {
    decodeURIComponent(raw);
  } catch {
    const message = "The request path is not valid percent-encoded UTF-8";
    if (raw.startsWith("/v1/") || raw.startsWith("/api/") || raw === "/metrics") {
      return NextResponse.json({ errors: [{ code: "invalid_parameter", message, field: "path" }] }, { status: 400 });
    }
    return new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  return NextResponse.next();
}

/**
 * Only a path holding a `%` can fail to decode, so only those run the proxy: invoking it costs every
 * request it matches about as much CPU as a whole small API read (measured: 4.4 → 2.5 ms of server
 * CPU per /healthz, 5.2 → 3.3 ms per one-job read). Next.js tests the raw and the decoded path.
 */
export const config = { matcher: ["/(.*%.*)"] };
