import type { Column } from "../sources/types";

/**
 * How a warehouse table follows its source's columns. Pure rules, no SQL: given the warehouse's
 * columns and the source's, which changes to apply (an added column, a widened type, a column the
 * source dropped) and which to refuse (anything that could lose or misread data).
 */
export type SchemaChange = { column: string; change: "added" | "widened" | "dropped"; from?: string; to?: string };

/** A change the warehouse table cannot follow; the table fails with this code, nothing is altered. */
export class SchemaChangeRefused extends Error {
  constructor(
    readonly code: "SCHEMA_CHANGE_INCOMPATIBLE" | "SCHEMA_CHANGE",
    message: string,
  ) {
    super(message);
  }
}

const ALIASES: Record<string, string> = {
  int: "integer",
  int4: "integer",
  int2: "smallint",
  int8: "bigint",
  serial: "integer",
  bigserial: "bigint",
  smallserial: "smallint",
  bool: "boolean",
  float8: "double precision",
  float4: "real",
  timestamptz: "timestamp with time zone",
  timestamp: "timestamp without time zone",
  timetz: "time with time zone",
  time: "time without time zone",
  varchar: "character varying",
  decimal: "numeric",
  char: "character",
};

/** One spelling per type, so `int4` and `integer`, `timestamptz` and `timestamp with time zone` compare equal. */
export function normalizeType(type: string): string {
  const t = type.trim().toLowerCase().replace(/\s+/g, " ");
  const m = /^([a-z0-9 ]+?)\s*(\(([^)]*)\))?( with(out)? time zone)?$/.exec(t);
  if (!m) return t;
  let base = ALIASES[m[1]] ?? m[1];
  const args = m[3]?.replace(/\s/g, "");
  const clock = /^(timestamp|time)( with(out)? time zone)?$/.exec(base);
  if (clock) {
    // Precision 6 is what no precision means; with or without a zone is part of the type.
    const zone = m[4] ?? clock[2] ?? " without time zone";
    return `${clock[1]}${args && args !== "6" ? `(${args})` : ""}${zone}`;
  }
  if (base === "numeric" && args && !args.includes(",")) return `numeric(${args},0)`;
  if (base === "character" && !args) base = "character(1)";
  return args ? `${base}(${args})` : base;
}

const INT_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const INT_DIGITS: Record<string, number> = { smallint: 5, integer: 10, bigint: 19 };
const numericArgs = (t: string) => {
  const m = /^numeric\((\d+),(\d+)\)$/.exec(t);
  return m ? { p: Number(m[1]), s: Number(m[2]) } : null;
};
const varcharLength = (t: string) => {
  const m = /^character varying\((\d+)\)$/.exec(t);
  return m ? Number(m[1]) : null;
};

/** True when every value of type `from` is a value of type `to`, read the same way (so a column may change from → to). */
export function widens(fromType: string, toType: string): boolean {
  const from = normalizeType(fromType);
  const to = normalizeType(toType);
  if (from === to) return true;
  if (INT_RANK[from] && INT_RANK[to]) return INT_RANK[to] > INT_RANK[from];
  if (INT_RANK[from] && to === "numeric") return true;
  if (INT_RANK[from] && numericArgs(to)) return numericArgs(to)!.p - numericArgs(to)!.s >= INT_DIGITS[from];
  if (numericArgs(from) && to === "numeric") return true;
  if (numericArgs(from) && numericArgs(to))
    return numericArgs(to)!.s === numericArgs(from)!.s && numericArgs(to)!.p >= numericArgs(from)!.p;
  if (varcharLength(from) !== null) {
    const m = varcharLength(to);
    return to === "text" || to === "character varying" || (m !== null && m >= varcharLength(from)!);
  }
  if (from === "character varying" && to === "text") return true;
  const a = clockOf(from);
  const b = clockOf(to);
  // More fractional digits, and a timestamp without a zone may gain one (read as UTC); a time may not.
  return !!a && !!b && a.kind === b.kind && b.precision >= a.precision && (a.zoned === b.zoned || (a.kind === "timestamp" && b.zoned));
}

const clockOf = (t: string) => {
  const m = /^(timestamp|time)(?:\((\d)\))? with(out)? time zone$/.exec(t);
  return m ? { kind: m[1], precision: m[2] ? Number(m[2]) : 6, zoned: !m[3] } : null;
};

export type SchemaPlan = {
  changes: SchemaChange[];
  /** Columns the source no longer has: kept in the warehouse, written as NULL from now on. */
  dropped: string[];
};

/** What the warehouse remembers of a source table's columns (null before the first run that recorded it). */
export type KnownColumns = {
  columns: string[];
  dropped: string[];
  /** Each column's type at the source as last seen (normalized); missing in state written before types were kept. */
  types?: Record<string, string> | null;
};

/**
 * Compares the warehouse table with the source. `known` is what the warehouse remembers of the
 * source's columns, so that a column someone added to the warehouse table by hand is never mistaken
 * for one the source dropped, and a column someone widened by hand for one the source narrowed.
 */
export function planSchemaChanges(
  warehouse: Column[],
  source: Column[],
  known: KnownColumns | null,
  policy: "propagate" | "fail",
  key: string[] = [],
): SchemaPlan {
  const changes: SchemaChange[] = [];
  const refused: { column: string; from: string; to: string }[] = [];
  const byName = new Map(warehouse.map((c) => [c.name, c]));
  for (const col of source) {
    const wh = byName.get(col.name);
    if (!wh) {
      changes.push({ column: col.name, change: "added", to: normalizeType(col.type) });
      continue;
    }
    const from = normalizeType(wh.type);
    const to = normalizeType(col.type);
    // The source now takes NULL where the warehouse refuses it (a key column stays NOT NULL).
    const relaxed = wh.notNull && !col.notNull && !key.includes(col.name);
    if (from === to) {
      if (relaxed) changes.push({ column: col.name, change: "widened", from: `${from} not null`, to });
      continue;
    }
    if (widens(to, from)) {
      // The warehouse column already holds every value of the source's type. Either it was widened
      // by hand (the source's type is what it was), or the source changed its type to this one.
      const before = known?.types?.[col.name];
      if (before && before !== to && !widens(before, to)) refused.push({ column: col.name, from: before, to });
      continue;
    }
    if (!widens(from, to)) refused.push({ column: col.name, from, to });
    else changes.push({ column: col.name, change: "widened", from: relaxed ? `${from} not null` : from, to });
  }
  const inSource = new Set(source.map((c) => c.name));
  const wasSource = new Set(known?.columns ?? []);
  const dropped = new Set((known?.dropped ?? []).filter((c) => !inSource.has(c) && byName.has(c)));
  for (const wh of warehouse) {
    if (inSource.has(wh.name) || dropped.has(wh.name) || !wasSource.has(wh.name)) continue;
    dropped.add(wh.name);
    changes.push({ column: wh.name, change: "dropped", from: normalizeType(wh.type) });
  }
  if (policy === "fail" && (changes.length || refused.length)) {
    const list = [
      ...changes.map((c) => `${c.column} ${c.change}${c.from && c.to ? ` (${c.from} → ${c.to})` : ""}`),
      ...refused.map((c) => `${c.column} changed (${c.from} → ${c.to})`),
    ].join(", ");
    throw new SchemaChangeRefused(
      "SCHEMA_CHANGE",
      `The source's columns changed (${list}) and this sync is set to fail on schema changes; nothing was altered. ` +
        (refused.length
          ? "Not every change can be followed (only added columns and widened types): change the warehouse column by hand and resync, or revert the change at the source."
          : "Run a full resync to take the source's columns as they are now, or revert the change at the source."),
    );
  }
  if (refused.length) {
    const { column, from, to } = refused[0];
    throw new SchemaChangeRefused(
      "SCHEMA_CHANGE_INCOMPATIBLE",
      `Column "${column}" changed at the source from ${from} to ${to}, which the warehouse column does not follow: only added columns and widened types are applied. ` +
        "Change the warehouse column by hand and resync, or revert the source change.",
    );
  }
  return { changes, dropped: [...dropped] };
}
