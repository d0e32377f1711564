/** Page sizes shared by server prefetch and client queries (their query keys must match). */
export const HISTORY_PAGE_SIZE = 25;
export const ERRORS_PAGE_SIZE = 50;
/** Runs the sync page's trend chart shows (server prefetch and client query must agree). */
export const TREND_RUNS = 30;
/** How many of the latest failures home shows (server prefetch and client query must agree). */
export const OVERVIEW_FAILURES = 10;
