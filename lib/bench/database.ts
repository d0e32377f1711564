import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { connect, type Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { generateKey } from "@/lib/secrets/keys";

export type BenchDb = { url: string; sql: postgres.Sql; db: Db; stop: () => Promise<void> };

/**
 * One throwaway Postgres for the whole bench, with the server's default durability (fsync and
 * synchronous_commit on, unlike the test suite's `fast` mode): commit costs are part of what we measure.
 */
export async function startBenchDatabase(): Promise<BenchDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sc-bench-"));
  // mkdtemp makes a 0700 folder; as root the server runs as the OS user `postgres`, which must enter it.
  fs.chmodSync(dir, 0o755);
  // Syncs created here seal their credentials like the app's: a throwaway key for a throwaway database.
  process.env.ENCRYPTION_KEY ??= generateKey();
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false });
  try {
    await runMigrations(pg.url);
  } catch (e) {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const { sql, db } = connect(pg.url, 10);
  return {
    url: pg.url,
    sql,
    db,
    stop: async () => {
      await sql.end({ timeout: 5 });
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
