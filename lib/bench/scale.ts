/**
 * `npm run bench -- --scale`: reads, pages and the scheduler burst at 1,000,000 jobs and 5,000,000
 * errors, each beside a same-run baseline. Writes the "At scale" section of docs/benchmarks.md.
 *
 * While working on one part: BENCH_SCALE_DIR keeps the seeded data in a folder for the next run
 * (see scale-keep.ts; the burst, which adds 2,000 syncs, is then skipped unless BENCH_ONLY names it),
 * and BENCH_ONLY=reads,pages,burst measures only those parts. Either prints the figures without
 * rewriting docs/benchmarks.md unless BENCH_OUT is set.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { users } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { SESSION_COOKIE } from "@/lib/auth/principal";
import { createSession } from "@/lib/auth/sessions";
import { newId } from "@/lib/ids";
import { type BenchDb, startBenchDatabase } from "./database";
import { describeMachine } from "./machine";
import { type BurstFigure, measureBurst } from "./scale-burst";
import { CHROMIUM, measurePages, type PageFigure } from "./scale-pages";
import { measureReads, type ReadFigure } from "./scale-reads";
import { renderScale, writeScaleSection } from "./scale-report";
import { startKeptScaleDatabase } from "./scale-keep";
import { type ScaleFixture, scaleFactor, seedScale } from "./scale-seed";
import { sleep } from "./stats";

const OUT = process.env.BENCH_OUT ?? path.join(process.cwd(), "docs", "benchmarks.md");
const KEEP_DIR = process.env.BENCH_SCALE_DIR;
const ONLY = process.env.BENCH_ONLY?.split(",").map((p) => p.trim());
const PARTS = new Set(ONLY ?? (KEEP_DIR ? ["reads", "pages"] : ["reads", "pages", "burst"]));
/** A partial or repeated run is for iterating, not the record: it writes the report only when asked to. */
const WRITE = process.env.BENCH_OUT !== undefined || (!ONLY && !KEEP_DIR);
const PORT = Number(process.env.BENCH_PORT ?? 3957);
/** The app as one would run it on this machine: a Next.js server per core (WEB_PROCESSES). */
const WEB_PROCESSES = Number(process.env.BENCH_WEB_PROCESSES ?? os.availableParallelism());
const step = (msg: string) => process.stderr.write(`bench --scale: ${msg}\n`);

async function startApp(url: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", "lib/bin/start.ts"], {
    env: {
      ...process.env,
      // A build folder of its own: a test run rebuilding the usual one must not pull files from under this server.
      NEXT_DIST_DIR: process.env.BENCH_DIST_DIR ?? `${process.env.NEXT_DIST_DIR ?? ".next"}-bench`,
      DATABASE_URL: url,
      PORT: String(PORT),
      WORKERS: "0",
      WEB_PROCESSES: String(WEB_PROCESSES),
      DEMO_DATA: "false",
      LOG_LEVEL: "warn",
      RATE_LIMIT_PER_MINUTE: "100000000",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 600_000; // includes a production build when sources changed
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`app server exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error("app server did not start in time");
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  return {
    base,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await Promise.race([exited, sleep(15_000)]);
    },
  };
}

/** Checked before anything is measured: found missing at the pages step, a browser would cost the seed and the reads. */
export function checkScaleNeeds(): void {
  if (PARTS.has("pages") && !fs.existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM} for the pages (install Debian's chromium, or set CHROMIUM_PATH)`);
}

/** `command`: how this run was started, named in the section it writes. Call checkScaleNeeds() first. */
export async function runScale(command: string): Promise<void> {
  const started = performance.now();
  // The app and the worker processes seal credentials; a throwaway key is enough for a throwaway database.
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  let env: BenchDb;
  let kept: ScaleFixture | null = null;
  let save = (_fx: ScaleFixture) => {};
  if (KEEP_DIR) {
    step(`starting the kept Postgres in ${KEEP_DIR}`);
    ({ env, fixture: kept, save } = await startKeptScaleDatabase(KEEP_DIR, scaleFactor));
    if (kept) step("reusing the data seeded by an earlier run");
  } else {
    step("starting a throwaway Postgres");
    env = await startBenchDatabase();
  }
  const stopOnSignal = () => void env.stop().finally(() => process.exit(130));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    const machine = await describeMachine(env.sql);
    let fx = kept;
    if (!fx) save((fx = await seedScale(env.sql, env.db, step)));

    step("starting the app server");
    const app = await startApp(env.url);
    let reads: ReadFigure[] = [],
      pages: PageFigure[] = [];
    try {
      const { token } = await createApiKey(env.db, { name: "bench", scopes: ["sync:read"] });
      if (PARTS.has("reads")) ({ figures: reads } = await measureReads(app.base, token, env.url, fx, step));

      const userId = newId();
      // One user per run: a kept database still holds the earlier runs' users.
      await env.db.insert(users).values({ id: userId, email: `bench-${userId}@example.com`, passwordHash: "-", role: "admin" });
      const session = await createSession(env.db, userId);
      if (PARTS.has("pages"))
        pages = await measurePages(
          app.base,
          { name: SESSION_COOKIE, value: session.token },
          [
            // Each page's data, as it shows on first paint: the health totals, the integration and the 10 latest
            // failures; the 40 syncs; the sync's tables and a page of 25 history rows; the 3 table jobs; 50 errors.
            {
              name: "Home (overview)",
              path: "/",
              rows: [
                ['[data-testid="health-totals"]', 1],
                ['[data-testid="overview-integration"]', 1],
                ['[data-testid="failure-row"]', 10],
              ],
            },
            { name: "Integration (40 syncs)", path: `/integrations/${fx.integrationId}`, rows: [['[data-testid="sync-row"]', 40]] },
            {
              name: "Busy sync (a fifth of all jobs)",
              path: `/syncs/${fx.busySyncId}`,
              rows: [
                ['[data-testid="sync-table-row"]', 3],
                ['[data-testid="history-row"]', 25],
              ],
            },
            { name: "Job (3 tables, the most errors)", path: `/jobs/${fx.bigJobId}`, rows: [['[data-testid="table-job-row"]', 3]] },
            { name: "Errors of that job", path: `/jobs/${fx.bigJobId}/errors`, rows: [['[data-testid="error-row"]', 50]] },
          ],
          step,
        );
    } finally {
      await app.stop();
    }

    let burst: BurstFigure | { error: string } = { error: "not measured in this run" };
    if (PARTS.has("burst")) {
      try {
        burst = await measureBurst(env.sql, env.db, env.url, step);
      } catch (e) {
        burst = { error: String((e as Error)?.message ?? e) };
      }
    }

    const section = renderScale({
      command,
      date: new Date(),
      seconds: (performance.now() - started) / 1000,
      machine,
      webProcesses: WEB_PROCESSES,
      seed: fx.seconds,
      reads,
      pages,
      burst,
      notes: process.env.BENCH_NOTE ? [process.env.BENCH_NOTE] : [],
      volumes: { factor: fx.factor, jobs: fx.jobs, errors: fx.errors, bigErrors: fx.bigErrors },
      loadAtEnd: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" / "),
    });
    if (WRITE) writeScaleSection(OUT, section);
    process.stdout.write(
      `${section}\n${WRITE ? `Written to ${path.relative(process.cwd(), OUT)}` : "Not written to a file (a partial or kept-data run)"}\n`,
    );
  } finally {
    await env.stop();
  }
}
