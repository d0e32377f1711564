import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { closeProbe, openProbe, tcpReachable } from "./client";
import type { CheckName } from "@/lib/contracts/connections";
import { schemasWithTables } from "./discover";
import { explainConnectionError } from "./errors";
import { type ConnectionTarget, hostPort } from "./target";

export type ConnectionCheck = { name: CheckName; ok: boolean; skipped?: true; message: string };
export type ConnectionTestResult = { ok: boolean; checks: ConnectionCheck[] };
export type ConnectionRole = "source" | "destination";

export type ConnectionTestInput = {
  target: ConnectionTarget;
  /** A source must let us read its tables; a warehouse must let us create a schema and tables. */
  role: ConnectionRole;
  schema?: string;
  replication?: "logical";
};

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;
const SKIPPED = "Not checked: an earlier check failed.";

/**
 * Tries a connection the way a sync will use it, one check at a time. Each answer is a sentence
 * about host, port, user, database or schema — never the url or its password.
 */
export async function testConnection(input: ConnectionTestInput): Promise<ConnectionTestResult> {
  const { target: t, role } = input;
  const plan: CheckName[] = ["reachable", "credentials", "database", "rights"];
  if (role === "source" && input.replication === "logical") plan.push("wal_level", "replication_role");
  const checks: ConnectionCheck[] = [];
  const record = (name: CheckName, ok: boolean, message: string) => checks.push({ name, ok, message });
  const result = (): ConnectionTestResult => {
    for (const name of plan.slice(checks.length)) checks.push({ name, ok: false, skipped: true, message: SKIPPED });
    return { ok: checks.every((c) => c.ok), checks };
  };

  const tcp = await tcpReachable(t.host, t.port);
  if (!tcp.ok) {
    record("reachable", false, explainConnectionError({ code: tcp.code }, t).message);
    return result();
  }
  record("reachable", true, `${hostPort(t)} answers.`);

  const sql = openProbe(t);
  try {
    try {
      const [who] = await sql<
        { user: string; version: string }[]
      >`select current_user as user, current_setting('server_version') as version`;
      record("credentials", true, `Signed in as ${who.user}.`);
      record("database", true, `Database ${t.database} is there (PostgreSQL ${who.version.split(" ")[0]}).`);
    } catch (e) {
      const why = explainConnectionError(e, t);
      if (why.check === "database") record("credentials", true, `Signed in as ${t.user}.`);
      // Anything else that stops the sign-in (TLS, a server that is not Postgres) belongs to it.
      record(why.check === "database" ? "database" : "credentials", false, why.message);
      return result();
    }

    const rights = role === "source" ? await sourceRights(sql, t, input.schema) : await warehouseRights(sql, t, input.schema);
    record("rights", rights.ok, rights.message);
    if (plan.includes("wal_level")) {
      const [{ wal_level }] = await sql<{ wal_level: string }[]>`select current_setting('wal_level') as wal_level`;
      record(
        "wal_level",
        wal_level === "logical",
        wal_level === "logical"
          ? "wal_level is logical."
          : `wal_level is ${wal_level}; logical replication needs wal_level = logical (set it in postgresql.conf and restart the server).`,
      );
      const [role] = await sql<
        { replication: boolean }[]
      >`select rolreplication or rolsuper as replication from pg_roles where rolname = current_user`;
      record(
        "replication_role",
        !!role?.replication,
        role?.replication
          ? `User ${t.user} may stream changes (REPLICATION).`
          : `User ${t.user} lacks the REPLICATION attribute; run ALTER ROLE ${t.user} REPLICATION as a superuser.`,
      );
    }
    return result();
  } catch (e) {
    // A query after sign-in failed (a timeout, a dropped connection): it belongs to the next check.
    const name = plan[checks.length] ?? "rights";
    record(name, false, explainConnectionError(e, t).message);
    return result();
  } finally {
    await closeProbe(sql);
  }
}

/**
 * Whether the user can read the schema's tables. Without a schema asked for, `public` is checked;
 * when it has no tables but other schemas do, that is no failure (the schema is chosen with the
 * tables): the answer names them.
 */
async function sourceRights(sql: postgres.Sql, t: ConnectionTarget, asked: string | undefined): Promise<{ ok: boolean; message: string }> {
  const schema = asked ?? "public";
  const [ns] = await sql<{ usable: boolean }[]>`
    select has_schema_privilege(oid, 'USAGE') as usable from pg_namespace where nspname = ${schema}`;
  if (!ns) return { ok: false, message: `Schema ${schema} does not exist in database ${t.database}.` };
  if (!ns.usable) return { ok: false, message: `User ${t.user} may not use schema ${schema} (it needs USAGE on it).` };
  const tables = await sql<{ name: string; readable: boolean }[]>`
    select c.relname as name, has_table_privilege(c.oid, 'SELECT') as readable
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`;
  if (!tables.length) {
    const others = asked === undefined ? await schemasWithTables(sql) : [];
    if (!others.length) return { ok: false, message: `Schema ${schema} has no tables to sync.` };
    const names = others.slice(0, 5).map((o) => `${o.name} (${o.tables})`);
    return {
      ok: true,
      message: `Schema ${schema} has no tables; ${others.length === 1 ? "schema" : "schemas"} ${names.join(", ")}${others.length > 5 ? ", …" : ""} ${others.length === 1 ? "has" : "have"} some: pick the schema with the tables.`,
    };
  }
  const unreadable = tables.filter((x) => !x.readable).map((x) => x.name);
  if (unreadable.length) {
    const names = unreadable.slice(0, 5).join(", ") + (unreadable.length > 5 ? ", …" : "");
    return {
      ok: false,
      message: `User ${t.user} cannot read ${unreadable.length} of ${tables.length} tables in schema ${schema}: ${names}.`,
    };
  }
  return { ok: true, message: `User ${t.user} can read all ${tables.length} table${tables.length === 1 ? "" : "s"} in schema ${schema}.` };
}

class Rollback extends Error {}

/**
 * Really creates the schema and a table, inside a transaction that is always rolled back: the
 * only test that answers for every way rights can be granted (owner, CREATE, a role's membership).
 */
async function warehouseRights(
  sql: postgres.Sql,
  t: ConnectionTarget,
  schema = "sync_console_check",
): Promise<{ ok: boolean; message: string }> {
  const [existing] = await sql<{ n: number }[]>`select 1 as n from pg_namespace where nspname = ${schema}`;
  const probe = `_sync_console_check_${randomBytes(4).toString("hex")}`;
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(`create schema if not exists ${quote(schema)}`);
      await tx.unsafe(`create table ${quote(schema)}.${quote(probe)} (id bigint primary key, v text)`);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) {
      const code = (e as { code?: string }).code;
      if (code === "42501") {
        return {
          ok: false,
          message: existing
            ? `User ${t.user} may not create tables in schema ${schema} (it needs CREATE on the schema).`
            : `User ${t.user} may not create schema ${schema} in database ${t.database} (it needs CREATE on the database).`,
        };
      }
      if (code === "25006")
        return { ok: false, message: `Database ${t.database} is read-only (a standby?); a warehouse must accept writes.` };
      throw e;
    }
  }
  return {
    ok: true,
    message: existing
      ? `User ${t.user} can create tables in schema ${schema}.`
      : `User ${t.user} can create schema ${schema} and tables in it.`,
  };
}
