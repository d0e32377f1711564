import { pgTypes } from "../../db/client";
import { randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { inject } from "vitest";
import * as schema from "../../db/schema";
import { runMigrations } from "../../db/migrate";

/**
 * A database of its own inside the test server, for tests that must control exactly which
 * workers run (no server workers see it). Dropped by `drop()`.
 */
export async function freshDatabase() {
  const base = new URL(inject("databaseUrl"));
  const name = `t_${randomBytes(5).toString("hex")}`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  const sql = postgres(url.toString(), {
    max: 10,
    onnotice: () => {},
    types: pgTypes,
  });
  return {
    url: url.toString(),
    sql,
    db: drizzle(sql, { schema }),
    drop: async () => {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
