/**
 * Fixed settings shared by the Playwright config, the server script and the tests. They must be
 * the same in every Playwright process (the config is evaluated in each worker), so nothing here
 * is random; the database is a throwaway one, so fixed secrets are harmless.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3917);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? "sc_e2e_admin_token_0123456789abcdefghijklmnop";
export const ADMIN_USER = { email: "admin@e2e.test", password: "admin-password-123", role: "admin" as const };
export const SUPPORT_USER = { email: "support@e2e.test", password: "support-password-123", role: "support" as const };
/** Per port, so parallel Playwright runs on one checkout do not overwrite each other's sessions. */
export const AUTH_DIR = `e2e/.auth/${E2E_PORT}`;
/** Where the test server leaves its database url, for tests that seed volume with SQL (e2e/perf.spec.ts). */
export const DATABASE_URL_FILE = `${process.env.TMPDIR ?? "/tmp"}/sync-console-e2e-${E2E_PORT}.database-url`;
/** Where the test server leaves the url of its second database, the source of e2e/wizard.spec.ts. */
export const SOURCE_URL_FILE = `${process.env.TMPDIR ?? "/tmp"}/sync-console-e2e-${E2E_PORT}.source-url`;
export const ADMIN_STATE = `${AUTH_DIR}/admin.json`;
export const SUPPORT_STATE = `${AUTH_DIR}/support.json`;
