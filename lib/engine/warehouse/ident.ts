/** SQL identifiers for warehouse objects. Names are validated upstream; quoting keeps any name literal. */
export const q = (ident: string) => `"${ident.replaceAll('"', '""')}"`;
export const qualified = (schema: string, table: string) => `${q(schema)}.${q(table)}`;

/** A key's columns as SQL: `"a", "b"`. */
export const keyList = (key: string[]) => key.map(q).join(", ");
/** Two aliases' rows with the same key: `l."a" = s."a" and l."b" = s."b"`. */
export const sameKey = (key: string[], a: string, b: string) => key.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(" and ");

/**
 * The name Postgres gives a table's primary key constraint: `<table>_pkey`, the table's part cut so
 * the whole fits in 63 bytes (a longer name would be cut at the end instead, and could become the
 * table's own name).
 */
export function pkeyName(table: string): string {
  const chars = Array.from(table);
  while (Buffer.byteLength(`${chars.join("")}_pkey`) > 63) chars.pop();
  return `${chars.join("")}_pkey`;
}

/**
 * What an upsert calls its target table: its own name could be `excluded`, which ON CONFLICT would
 * then take for the row being inserted.
 */
export const TARGET = "_sc_target";
