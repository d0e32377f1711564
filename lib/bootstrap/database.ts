import fs from "node:fs";
import path from "node:path";
import { runMigrations } from "@/db/migrate";
import { generateKey, keyring } from "@/lib/secrets/keys";
import { processAlive, startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { log } from "@/lib/runtime/log";

export type DatabaseHandle = { url: string; embedded: boolean; stop: () => Promise<void> };

/**
 * DATABASE_URL when set; otherwise a real Postgres from `embedded-postgres` kept in `.data/pg`.
 * Either way, migrations are applied before anything else touches the database.
 */
export async function ensureDatabase(opts: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  ensureEncryptionKey();
  if (process.env.DATABASE_URL) {
    handle = { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  } else {
    const dir = path.resolve(process.env.DATA_DIR ?? ".data", "pg");
    const running = serverOwnedByLiveProcess(dir);
    if (running) {
      // `npm start` owns this server: a CLI or worker run beside it just connects.
      handle = { url: embeddedUrl(running.port), embedded: true, stop: async () => {} };
    } else {
      const port = Number(process.env.PG_PORT ?? 54329);
      const started = Date.now();
      const pg = await startEmbeddedPostgres({ dir, port });
      fs.writeFileSync(ownerFile(dir), String(process.pid));
      log.info("embedded postgres ready", { dir, port, ms: Date.now() - started });
      handle = { url: pg.url, embedded: true, stop: async () => (fs.rmSync(ownerFile(dir), { force: true }), pg.stop()) };
    }
    process.env.DATABASE_URL = handle.url;
  }
  if (opts.migrate !== false) {
    try {
      await runMigrations(handle.url);
    } catch (e) {
      await handle.stop();
      throw e;
    }
  }
  return handle;
}

/**
 * Stored credentials are sealed with ENCRYPTION_KEY. With the embedded default it is made once and
 * kept beside the data in `.data/encryption.key` (mode 600; keys it replaced in
 * `.data/encryption.key.previous`); with DATABASE_URL it must be given, because every web and
 * worker process of that database needs the same key.
 */
export function ensureEncryptionKey(): void {
  if (!process.env.ENCRYPTION_KEY && !process.env.DATABASE_URL) {
    const file = keyFile();
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${generateKey()}\n`, { mode: 0o600, flag: "wx" });
      log.info("generated an encryption key for stored credentials", { file });
    }
    process.env.ENCRYPTION_KEY = fs.readFileSync(file, "utf8").trim();
    process.env.ENCRYPTION_KEY_SOURCE = "file";
    const previous = `${file}.previous`;
    if (!process.env.ENCRYPTION_KEY_PREVIOUS && fs.existsSync(previous)) {
      process.env.ENCRYPTION_KEY_PREVIOUS = fs.readFileSync(previous, "utf8").split(/\s+/).filter(Boolean).join(",");
    }
  }
  keyring(); // fails now, with the fix in its message, rather than at the first sync saved
}

const keyFile = () => path.resolve(process.env.DATA_DIR ?? ".data", "encryption.key");

/**
 * For `secrets rotate` on the embedded default: a new key becomes `.data/encryption.key` and the
 * old one joins `.data/encryption.key.previous` before anything is re-encrypted, so a failure at
 * any point leaves every stored value readable. Returns false when the key comes from the
 * environment (the operator supplies ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS then).
 */
export function replaceKeyFile(): boolean {
  if (process.env.ENCRYPTION_KEY_SOURCE !== "file") return false;
  const file = keyFile();
  const old = fs.readFileSync(file, "utf8").trim();
  const previous = [old, ...(process.env.ENCRYPTION_KEY_PREVIOUS ?? "").split(",").filter(Boolean)];
  fs.writeFileSync(`${file}.previous`, `${[...new Set(previous)].join("\n")}\n`, { mode: 0o600 });
  const next = generateKey();
  fs.writeFileSync(`${file}.tmp`, `${next}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  process.env.ENCRYPTION_KEY = next;
  process.env.ENCRYPTION_KEY_PREVIOUS = [...new Set(previous)].join(",");
  return true;
}

const ownerFile = (dir: string) => `${dir}.owner`;
const embeddedUrl = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/sync_console`;

/** The embedded server in `dir` when it is up and the process that started it still lives. */
function serverOwnedByLiveProcess(dir: string): { port: number } | null {
  try {
    const owner = Number(fs.readFileSync(ownerFile(dir), "utf8"));
    const lines = fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n");
    const [pid, port] = [Number(lines[0]), Number(lines[3])];
    return owner && owner !== process.pid && processAlive(owner) && processAlive(pid) ? { port } : null;
  } catch {
    return null;
  }
}
