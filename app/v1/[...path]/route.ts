import { errorResponse } from "@/lib/api/error-response";
import { notFound } from "@/lib/errors";

/**
 * Any /v1 path no route file serves: a 404 in the error envelope, like every other API error,
 * rather than the dashboard's HTML not-found page. More specific routes always win over this one.
 */
const noSuchPath = () => errorResponse(notFound("not_found", "No API endpoint at this path; see /v1/openapi.json"));

export const GET = noSuchPath;
export const POST = noSuchPath;
export const PUT = noSuchPath;
export const PATCH = noSuchPath;
export const DELETE = noSuchPath;
