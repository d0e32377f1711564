import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect } from "./client";

/** Applies drizzle-kit's generated migrations in order; safe to call on every start. */
export async function runMigrations(url: string): Promise<void> {
  const { sql, db } = connect(url, 1);
  try {
    await migrate(db, { migrationsFolder: path.join(process.cwd(), "drizzle") });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
