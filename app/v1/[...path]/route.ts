import { NextResponse } from "next/server";

/**
 * Any /v1 path no route file serves: a 404 in the error envelope, like every other API error,
 * rather than the dashboard's HTML not-found page. More specific routes always win over this one.
 */
const noSuchPath = () =>
  NextResponse.json({ errors: [{ code: "not_found", message: "No API endpoint at this path; see /v1/openapi.json" }] }, { status: 404 });

export const GET = noSuchPath;
export const POST = noSuchPath;
export const PUT = noSuchPath;
export const PATCH = noSuchPath;
export const DELETE = noSuchPath;
