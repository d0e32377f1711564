import fs from "node:fs";
import path from "node:path";
import { connect } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { generateKey } from "@/lib/secrets/keys";
import type { BenchDb } from "./database";
import type { ScaleFixture } from "./scale-seed";

/**
 * `BENCH_SCALE_DIR=/tmp/sc-scale npm run bench -- --scale`: the scale volumes seeded once into a
 * Postgres data folder that outlives the run, so pages and reads can be measured again and again
 * (seeding takes minutes). The folder holds the data (`pg/`), the fixture the seed returned and the
 * encryption key the seeded syncs were sealed with. Migrations run on every start, so a new index
 * reaches the kept data; the seed runs only when no fixture was saved (a half-seeded folder is
 * reseeded from an empty database).
 */

export type KeptScale = { env: BenchDb; fixture: ScaleFixture | null; save: (fx: ScaleFixture) => void };

export async function startKeptScaleDatabase(dir: string, factor: number): Promise<KeptScale> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must enter it
  const fixtureFile = path.join(dir, "fixture.json");
  const keyFile = path.join(dir, "encryption-key");
  let fixture: ScaleFixture | null = fs.existsSync(fixtureFile) ? (JSON.parse(fs.readFileSync(fixtureFile, "utf8")) as ScaleFixture) : null;
  if (fixture && fixture.factor !== factor) {
    throw new Error(`${dir} holds data seeded with BENCH_SCALE=${fixture.factor}, not ${factor}: use another BENCH_SCALE_DIR or remove it`);
  }
  if (!fixture) fs.rmSync(path.join(dir, "pg"), { recursive: true, force: true });
  if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, generateKey(), { mode: 0o600 });
  process.env.ENCRYPTION_KEY = fs.readFileSync(keyFile, "utf8").trim();

  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: true });
  try {
    await runMigrations(pg.url);
  } catch (e) {
    await pg.stop();
    throw e;
  }
  const { sql, db } = connect(pg.url, 10);
  return {
    env: {
      url: pg.url,
      sql,
      db,
      stop: async () => {
        await sql.end({ timeout: 5 });
        await pg.stop();
      },
    },
    fixture,
    save: (fx) => {
      fixture = fx;
      fs.writeFileSync(fixtureFile, JSON.stringify(fx, null, 2));
    },
  };
}
