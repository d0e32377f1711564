import type postgres from "postgres";
import { DomainError } from "@/lib/errors";
import { sourceName, sourceTableName } from "@/lib/contracts/sync-config";
import { closeProbe, openProbe } from "./client";
import { explainConnectionError } from "./errors";
import type { ConnectionTarget } from "./target";

export type DiscoveredColumn = { name: string; type: string; nullable: boolean };
export type DiscoveredTable = {
  name: string;
  columns: DiscoveredColumn[];
  /** What a sync can key on: the primary key (its columns when several), else a unique not-null column; null when there is none. */
  primaryKey: string | string[] | null;
  primaryKeyColumns: string[];
  suggestedCursorColumn: string | null;
  estimatedRows: number | null;
  /** Set when the table cannot be synced as it is (a name the warehouse keeps for itself, or no right to read it). */
  unsupportedReason?: string;
  kind: "table" | "view" | "materialized view";
};
export type Discovery = { schemas: string[]; schema: string; tables: DiscoveredTable[] };

const MAX_TABLES = 1000;
/** Tables never analysed have no row estimate; counting stops here so a huge one cannot stall the form. */
const COUNT_CAP = 1_000_000;
/** Counting many unanalysed tables adds up: after this long the rest say "unknown" (null). */
const COUNT_BUDGET_MS = 3_000;
const CURSOR_NAMES = [
  "updated_at",
  "modified_at",
  "last_modified_at",
  "last_modified",
  "updatedat",
  "modifiedat",
  "last_updated",
  "changed_at",
];
const TIME_TYPES = /^(timestamp|date)/;

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

/**
 * Lists a source database's schemas and the tables of one schema with what the wizard needs to
 * set a sync up: columns, a key, a cursor column to suggest, and a row estimate.
 */
export async function discoverSource(t: ConnectionTarget, opts: { schema?: string }): Promise<Discovery> {
  const sql = openProbe(t);
  try {
    let schemas: string[];
    try {
      schemas = (
        await sql<{ name: string }[]>`
          select nspname as name from pg_namespace
           where nspname not like 'pg\_%' and nspname <> 'information_schema'
           order by nspname = 'public' desc, nspname`
      ).map((r) => r.name);
    } catch (e) {
      throw new DomainError("connection_failed", explainConnectionError(e, t).message, { field: "url" });
    }
    const schema = opts.schema ?? (schemas.includes("public") ? "public" : (schemas[0] ?? "public"));
    if (!schemas.includes(schema)) {
      if (opts.schema)
        throw new DomainError("schema_not_found", `Schema ${schema} does not exist in database ${t.database}`, { field: "schema" });
      return { schemas, schema, tables: [] };
    }
    const tables = await tablesOf(sql, schema);
    // Nothing asked for and nothing in the default schema: show the schema that has the most tables.
    if (!opts.schema && !tables.length) {
      const [busiest] = await schemasWithTables(sql);
      if (busiest) return { schemas, schema: busiest.name, tables: await tablesOf(sql, busiest.name) };
    }
    return { schemas, schema, tables };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError("connection_failed", explainConnectionError(e, t).message, { field: "url" });
  } finally {
    await closeProbe(sql);
  }
}

type TableRow = { oid: number; name: string; reltuples: number; readable: boolean; relkind: string };
const KINDS: Record<string, DiscoveredTable["kind"]> = { r: "table", p: "table", v: "view", m: "materialized view" };
type ColumnRow = { table_oid: number; name: string; type: string; not_null: boolean; num: number };
type KeyRow = { table_oid: number; primary: boolean; columns: string[] };

/** Non-system schemas the user may use that hold tables, with how many, most tables first. */
export async function schemasWithTables(sql: postgres.Sql): Promise<{ name: string; tables: number }[]> {
  return sql<{ name: string; tables: number }[]>`
    select n.nspname as name, count(*)::int as tables
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition and has_schema_privilege(n.oid, 'USAGE')
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_%'
     group by n.nspname order by count(*) desc, n.nspname`;
}

async function tablesOf(sql: postgres.Sql, schema: string): Promise<DiscoveredTable[]> {
  const tables = await sql<TableRow[]>`
    select c.oid::int as oid, c.relname as name, c.reltuples::float8 as reltuples, has_table_privilege(c.oid, 'SELECT') as readable,
           c.relkind::text as relkind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
     order by c.relname
     limit ${MAX_TABLES}`;
  if (!tables.length) return [];
  const [{ user }] = await sql<{ user: string }[]>`select current_user as user`;
  const oids = tables.map((x) => x.oid);
  const [columns, keys] = await Promise.all([
    sql<ColumnRow[]>`
      select a.attrelid::int as table_oid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null, a.attnum as num
        from pg_attribute a
       where a.attrelid = any(${oids}::oid[]) and a.attnum > 0 and not a.attisdropped
       order by a.attrelid, a.attnum`,
    // Primary keys and unique indexes, as column-name lists in index order.
    sql<KeyRow[]>`
      select i.indrelid::int as table_oid, i.indisprimary as primary,
             array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord)
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord)::text[] as columns
        from pg_index i
       where i.indrelid = any(${oids}::oid[]) and (i.indisprimary or i.indisunique) and i.indpred is null and i.indexprs is null
       order by i.indisprimary desc`,
  ]);

  const out: DiscoveredTable[] = [];
  const countUntil = Date.now() + COUNT_BUDGET_MS;
  for (const table of tables) {
    const cols = columns.filter((c) => c.table_oid === table.oid);
    const notNull = new Set(cols.filter((c) => c.not_null).map((c) => c.name));
    const tableKeys = keys.filter((k) => k.table_oid === table.oid);
    const pk = tableKeys.find((k) => k.primary);
    const singleUnique = tableKeys.find((k) => k.columns.length === 1 && notNull.has(k.columns[0]));
    // A sync takes a key of up to 8 columns.
    const composite = pk && pk.columns.length > 1 && pk.columns.length <= 8 ? pk.columns : null;
    const primaryKey = pk?.columns.length === 1 ? pk.columns[0] : (composite ?? singleUnique?.columns[0] ?? null);
    out.push({
      name: table.name,
      columns: cols.map((c) => ({ name: c.name, type: c.type, nullable: !c.not_null })),
      primaryKey,
      primaryKeyColumns: pk?.columns ?? [],
      suggestedCursorColumn: suggestCursor(cols),
      estimatedRows: table.readable ? await estimateRows(sql, schema, table, Date.now() < countUntil) : null,
      ...unsupported(table, schema, user),
      kind: KINDS[table.relkind],
    });
  }
  return out;
}

/** A table a sync cannot take as it is says why: its name (the contract's own words), or no right to read it. */
function unsupported(table: TableRow, schema: string, user: string): { unsupportedReason?: string } {
  const parsed = sourceTableName.safeParse(table.name);
  if (!parsed.success) return { unsupportedReason: `Its name cannot be synced: ${parsed.error.issues[0].message}` };
  if (!table.readable)
    return {
      unsupportedReason: `User ${user} may not read it. Have its owner run GRANT SELECT ON ${quote(schema)}.${quote(table.name)} TO ${quote(user)}, then discover again.`,
    };
  return {};
}

/** A timestamp column named like "last changed" — not-null ones first, since NULL cursors are never read past. */
function suggestCursor(cols: ColumnRow[]): string | null {
  const candidates = cols.filter((c) => TIME_TYPES.test(c.type) && sourceName.safeParse(c.name).success);
  const rank = (c: ColumnRow) => {
    const exact = CURSOR_NAMES.indexOf(c.name.toLowerCase());
    const named = exact >= 0 ? exact : /(updated|modified|changed)/i.test(c.name) ? CURSOR_NAMES.length : -1;
    return named < 0 ? -1 : named + (c.not_null ? 0 : 100);
  };
  const ranked = candidates
    .map((c) => ({ c, r: rank(c) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r);
  return ranked[0]?.c.name ?? null;
}

async function estimateRows(sql: postgres.Sql, schema: string, table: TableRow, mayCount: boolean): Promise<number | null> {
  // reltuples is -1 until the table is first vacuumed or analysed; then count, but only so far.
  if (table.reltuples >= 0 && table.relkind !== "v") return Math.round(table.reltuples);
  // A view's rows are a query's: counting could take as long as the query, so say "unknown".
  if (!mayCount || table.relkind === "v") return null;
  try {
    const [{ n }] = await sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from (select 1 from ${quote(schema)}.${quote(table.name)} limit ${COUNT_CAP}) s`,
    );
    return n;
  } catch {
    return null;
  }
}
