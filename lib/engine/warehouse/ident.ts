/** SQL identifiers for warehouse objects. Names are validated upstream; quoting keeps any name literal. */
export const q = (ident: string) => `"${ident.replaceAll('"', '""')}"`;
export const qualified = (schema: string, table: string) => `${q(schema)}.${q(table)}`;
