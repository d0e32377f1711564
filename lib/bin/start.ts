/**
 * `npm start`: database (embedded when DATABASE_URL is unset) → migrations → bootstrap →
 * build if sources changed → Next.js server on PORT (WEB_PROCESSES of them), plus WORKERS worker
 * loops and the scheduler.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import cluster from "node:cluster";
import fs from "node:fs";
import path from "node:path";
import { log } from "@/lib/runtime/log";
import { ensureDatabase } from "@/lib/bootstrap/database";
import { bootstrap } from "@/lib/bootstrap";
import { startBackgroundWork } from "@/lib/engine/background";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const distDir = process.env.NEXT_DIST_DIR || ".next";
const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
const webProcesses = Number(process.env.WEB_PROCESSES ?? 1);
const SOURCE_DIRS = ["app", "components", "lib", "db", "next.config.ts", "package.json", "postcss.config.mjs"];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

function buildIfNeeded() {
  const buildId = path.join(distDir, "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (built && built >= Math.max(...SOURCE_DIRS.map(newestMtime))) return;
  log.info("building the web app (sources changed since the last build)", { distDir });
  const r = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error("next build failed");
}

/**
 * The Next.js server, or with WEB_PROCESSES > 1 that many of them on the one port: a Node.js process
 * runs its JavaScript on one core, and Next.js's own handling of a request costs more CPU than most
 * reads' queries. They are cluster workers with the listening socket shared, each accepting its own
 * connections (SCHED_NONE), so this process, which also runs the worker loops, is not in their path.
 * Nothing a request needs is held in one process's memory alone (README, "Scale it").
 */
function startWeb(env: NodeJS.ProcessEnv): ChildProcess[] {
  const args = [dev ? "dev" : "start", "-p", String(port)];
  if (dev || webProcesses === 1) return [spawn(process.execPath, [nextBin, ...args], { stdio: ["ignore", "inherit", "inherit"], env })];
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: nextBin, args, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return Array.from({ length: webProcesses }, () => cluster.fork(env).process);
}

async function waitForHttp(url: string, web: ChildProcess[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exited = web.find((p) => p.exitCode !== null);
    if (exited) throw new Error(`the web server exited with code ${exited.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`the web server did not answer on ${url} within ${timeoutMs / 1000}s`);
}

async function main() {
  const t0 = Date.now();
  if (!Number.isInteger(webProcesses) || webProcesses < 1) {
    console.error(`WEB_PROCESSES must be a whole number of at least 1, not "${process.env.WEB_PROCESSES}".`);
    process.exit(1);
  }
  const db = await ensureDatabase();
  let web: ChildProcess[] = [];
  let background: { stop: () => Promise<void> } | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    for (const p of web) p.kill("SIGTERM");
    await background?.stop().catch(() => {});
    await db.stop().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  // Should this process die of a crash, the web server must not live on alone, answering requests
  // while no worker or scheduler runs: a supervisor restarting `npm start` then restarts both.
  process.on("exit", () => web.forEach((p) => p.kill("SIGTERM")));

  try {
    await bootstrap(db.url);
    if (!dev) buildIfNeeded();
    web = startWeb({ ...process.env, DATABASE_URL: db.url, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: dev ? "development" : "production" });
    for (const p of web) {
      p.on("exit", (code) => {
        if (!stopping) {
          log.error("web server exited", { code, pid: p.pid });
          void shutdown("web-exit");
        }
      });
    }
    background = await startBackgroundWork(db.url, Number(process.env.WORKERS ?? 1));
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, web);
    log.info(`Sync Console is up at http://localhost:${port}`, {
      ms: Date.now() - t0,
      webProcesses: web.length,
      workers: Number(process.env.WORKERS ?? 1),
    });
  } catch (e) {
    log.error("start failed", { err: e instanceof Error ? e.message : String(e) });
    console.error(e instanceof Error ? e.message : e);
    for (const p of web) p.kill("SIGTERM");
    await background?.stop().catch(() => {});
    await db.stop().catch(() => {});
    process.exit(1);
  }
}

void main();
