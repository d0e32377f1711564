import { json, route } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/contracts/openapi";

/** Public: the document describes the API, it grants nothing. */
export const GET = route({ scope: null }, async () => json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }));
