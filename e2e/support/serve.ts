/**
 * Playwright's webServer: a throwaway embedded Postgres in a temp dir, migrated, with an admin and
 * a support user, then the real app (`lib/bin/start.ts`: web server, workers and scheduler) on
 * E2E_PORT. Everything is removed when Playwright stops this process. The build goes to
 * NEXT_DIST_DIR (default `.next`, so `npm test` reuses the build the vitest run just made).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { createUser } from "../../lib/auth/users";
import { startEmbeddedPostgres } from "../../lib/runtime/embedded-postgres";
import { generateKey } from "../../lib/secrets/keys";
import { createSourceDatabase, removeSourceUrlFile } from "./source-db";
import { ADMIN_TOKEN, ADMIN_USER, DATABASE_URL_FILE, E2E_PORT, SUPPORT_USER } from "./env";

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sync-console-e2e-"));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false, fast: true });
  let app: ChildProcess | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (app && app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(r, 10_000);
        app!.once("exit", () => (clearTimeout(t), r(null)));
      });
    }
    await pg.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(DATABASE_URL_FILE, { force: true });
    removeSourceUrlFile();
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => void stop(0));

  try {
    await runMigrations(pg.url);
    fs.writeFileSync(DATABASE_URL_FILE, pg.url, { mode: 0o600 });
    await createSourceDatabase(pg.url);
    const { sql, db } = connect(pg.url, 2);
    for (const user of [ADMIN_USER, SUPPORT_USER]) await createUser(db, user);
    await sql.end({ timeout: 5 });

    // E2E_DEV=1 serves with `next dev` (no build) for quick local iterations on the UI.
    const args = ["--import", "tsx", "lib/bin/start.ts", ...(process.env.E2E_DEV ? ["--dev"] : [])];
    app = spawn(process.execPath, args, {
      env: {
        ...process.env,
        DATABASE_URL: pg.url,
        // A throwaway database: a throwaway key for its sealed credentials.
        ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? generateKey(),
        PORT: String(E2E_PORT),
        WORKERS: process.env.E2E_WORKERS ?? "2",
        DEMO_DATA: "false",
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        RATE_LIMIT_PER_MINUTE: "1000000",
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        RETRY_BASE_MS: "50",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    app.on("exit", (code) => {
      if (!stopping) {
        console.error(`[e2e] app server exited with ${code}`);
        void stop(1);
      }
    });
  } catch (e) {
    console.error("[e2e] could not start the test server:", e);
    await stop(1);
  }
}

void main();
