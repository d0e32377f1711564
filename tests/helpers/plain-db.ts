import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

/**
 * An empty database of its own on the test server, with its own connection: a user's source or
 * warehouse, separate from the control plane's database. Dropped by `drop()`.
 */
export async function plainDatabase(prefix = "ext") {
  const base = new URL(inject("databaseUrl"));
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
  return {
    url: url.toString(),
    sql,
    drop: async () => {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A digest of a table's rows in key order, to compare a warehouse table with its source. */
export async function digest(sql: postgres.Sql, table: string, columns: string[], key = "id"): Promise<{ n: number; md5: string | null }> {
  const [r] = await sql.unsafe<{ n: number; md5: string | null }[]>(
    `select count(*)::int as n, md5(string_agg(concat_ws('|', ${columns.map((c) => `${c}::text`).join(", ")}), ',' order by ${key})) as md5 from ${table}`,
  );
  return r;
}
