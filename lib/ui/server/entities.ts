import { cache } from "react";
import { loadFamily, loadIntegration, loadSync } from "./prefetch";

/**
 * One lookup per request for the object a page is about, shared by its segment layout (which
 * answers 404 before anything streams), its metadata and the page itself.
 */
export const syncOf = cache(loadSync);
export const integrationOf = cache(loadIntegration);
export const familyOf = cache(loadFamily);
