import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { runMigrations } from "../../db/migrate";
import { sha256 } from "../../lib/auth/tokens";
import { freePort, startEmbeddedPostgres } from "../../lib/runtime/embedded-postgres";
import { generateKey } from "../../lib/secrets/keys";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    adminToken: string;
    /** The app server's stdout+stderr and Postgres's own log, for tests that grep them. */
    serverLogFile: string;
    pgLogFile: string;
    /** Written once the app server answers ("ready") or gave up ("failed: …"): tests/setup/server-ready.ts waits for it. */
    serverStateFile: string;
  }
}

/**
 * One throwaway Postgres (embedded-postgres in a temp dir) and one real app server
 * (`lib/bin/start.ts`, with 2 worker loops) for the whole run.
 *
 * The server is started but not waited for: on a fresh checkout it first runs `next build` (a
 * minute or more here), and the files of the "isolated" project (vitest.config.mts), which need
 * only Postgres, run meanwhile. Files of the "shared" project wait for it in their setup file.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sync-console-test-"));
  fs.chmodSync(dir, 0o755);
  // Test processes seal credentials too (createSync in-process), so the key is set for all of them.
  process.env.ENCRYPTION_KEY ??= generateKey();
  const pgLogFile = path.join(dir, "postgres.log");
  const serverLogFile = path.join(dir, "server.log");
  project.provide("pgLogFile", pgLogFile);
  project.provide("serverLogFile", serverLogFile);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false, fast: true, logFile: pgLogFile });
  await runMigrations(pg.url);
  const adminToken = `sc_test_${Math.random().toString(36).slice(2)}${Date.now()}`;
  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  await sql`insert into api_keys (id, name, token_hash, token_prefix, scopes)
            values ('0000000000000000000000a1', 'test-admin', ${sha256(adminToken)}, 'sc_tes', ${["sync:read", "sync:write", "admin"]})`;
  await sql.end();

  project.provide("databaseUrl", pg.url);
  project.provide("adminToken", adminToken);
  if (process.env.TEST_NO_SERVER) {
    // Engine-only runs (TEST_NO_SERVER=1) skip the web server and its build.
    project.provide("baseUrl", "http://127.0.0.1:9");
    return async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }

  const port = await freePort();
  const serverStateFile = path.join(dir, "server-state");
  project.provide("serverStateFile", serverStateFile);
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "lib/bin/start.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: pg.url,
      PORT: String(port),
      WORKERS: process.env.TEST_WORKERS ?? "2",
      DEMO_DATA: "false",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      RETRY_BASE_MS: "50",
      // A connection check gives up after this (connections.test.ts: a port that accepts and hangs up).
      PROBE_DEADLINE_MS: "6000",
      // Tests share one admin key and poll hard; the limit itself is tested with a key of its own.
      RATE_LIMIT_PER_MINUTE: "1000000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Tee the server's output: shown as before, and kept in a file the leak test greps.
  const serverLog = fs.createWriteStream(serverLogFile);
  server.stdout?.on("data", (b) => (process.stdout.write(b), serverLog.write(b)));
  server.stderr?.on("data", (b) => (process.stderr.write(b), serverLog.write(b)));
  const baseUrl = `http://127.0.0.1:${port}`;
  project.provide("baseUrl", baseUrl);

  // In the background: the state file says when the server answers, or why it never will. The
  // deadline covers a fresh checkout's `next build`, which shares the cores with the isolated test
  // files and took over 5 minutes at load 20 (an exit of the server is seen at once).
  let stopping = false;
  const started = (async () => {
    const deadline = Date.now() + 900_000;
    for (;;) {
      if (stopping) return;
      if (server.exitCode !== null) throw new Error(`app server exited with ${server.exitCode}`);
      if (Date.now() > deadline) throw new Error("app server did not start in time");
      try {
        if ((await fetch(`${baseUrl}/healthz`)).ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })().then(
    () => fs.writeFileSync(serverStateFile, "ready"),
    (e: Error) => fs.writeFileSync(serverStateFile, `failed: ${e.message}`),
  );

  return async () => {
    stopping = true;
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
    await started;
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
