/** Page sizes shared by server prefetch and client queries (their query keys must match). */
export const HISTORY_PAGE_SIZE = 25;
export const ERRORS_PAGE_SIZE = 50;
/** Runs the sync page's trend chart shows (server prefetch and client query must agree). */
export const TREND_RUNS = 30;
/** How many of the latest failures home shows (server prefetch and client query must agree). */
export const OVERVIEW_FAILURES = 10;
/** Integrations home lists on first paint and adds per "Show more" (the rest are a search away). */
export const OVERVIEW_PAGE_SIZE = 25;
/** The most integrations one GET /v1/overview lists (its `limit` maximum, kept here so the browser bundle needs no zod). */
export const OVERVIEW_LIST_MAX = 200;
/** What home lists before anyone searches or asks for more (server prefetch and client query must agree). */
export const FIRST_OVERVIEW_PAGE = { q: "", attention: false, limit: OVERVIEW_PAGE_SIZE };
