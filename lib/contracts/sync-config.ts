import { z } from "zod";
import { isPostgresUrl } from "./postgres-url";

/** SQL identifiers we create in the warehouse: keep them simple so quoting is never a question. */
export const identifier = z
  .string()
  .min(1)
  .max(48)
  .regex(/^[a-z_][a-z0-9_]*$/, "use lowercase letters, digits and _ (starting with a letter or _)");

/**
 * A name as a user's database spells it: any Postgres identifier ("Order Items", "createdAt"), since
 * every use quotes it. Postgres cuts names at 63 bytes, so a longer one would silently mean another.
 */
export const sourceName = z
  .string()
  .min(1)
  .refine((s) => new TextEncoder().encode(s).length <= 63, "at most 63 bytes, Postgres's limit for a name")
  .refine((s) => !s.includes("\0"), "must not contain a NUL character");

/** A source table's name, which its warehouse table takes too: not one of the tables the app keeps beside it. */
export const sourceTableName = sourceName.refine(
  (s) => !/^_(sync_console|sc)_/.test(s),
  "names starting with _sync_console_ or _sc_ are reserved for the app's own tables in the warehouse",
);

/** The column that identifies a row, or the columns that do together (a composite key, in key order). */
export const primaryKeySchema = z.union([
  sourceName,
  z
    .array(sourceName)
    .min(1)
    .max(8)
    .refine((cols) => new Set(cols).size === cols.length, "lists a column twice"),
]);

/** A table's key columns, however the key was written. */
export const keyColumns = (primaryKey: string | string[]): string[] => (typeof primaryKey === "string" ? [primaryKey] : primaryKey);

/** A connection url the driver can use: refused at create/patch rather than failing every run. */
const postgresUrl = () =>
  z
    .string()
    .min(1)
    .max(2000)
    .refine(isPostgresUrl, "must be a postgres:// or postgresql:// URL with a host (and no host/user/database query parameters)");

export const sampleTableSchema = z
  .object({
    name: identifier,
    rows: z.number().int().min(0).max(100_000_000),
    changeRate: z.number().min(0).max(1).optional(),
    badRecordRate: z.number().min(0).max(1).optional(),
    failWith: z
      .object({
        code: z.string().min(1).max(200),
        message: z.string().min(1).max(2000),
        afterRows: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    transientFailures: z.number().int().min(0).max(100).optional(),
    rowsPerSecond: z.number().positive().max(100_000_000).optional(),
  })
  .strict();

export const sampleSourceSchema = z
  .object({
    type: z.literal("sample"),
    seed: z.number().int().optional(),
    tables: z.array(sampleTableSchema).min(1).max(1000),
  })
  .strict();

export const postgresSourceSchema = z
  .object({
    type: z.literal("postgres"),
    url: postgresUrl(),
    schema: sourceName.optional(),
    tables: z
      .array(z.object({ name: sourceTableName, primaryKey: primaryKeySchema, cursorColumn: sourceName.optional() }).strict())
      .min(1)
      .max(1000),
    /** Change data capture through a publication and a logical replication slot (source needs wal_level=logical). */
    replication: z.enum(["logical"]).optional(),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion("type", [sampleSourceSchema, postgresSourceSchema]);

/**
 * Schemas a sync may never load into: the app's own tables live in `public` (a source table named
 * `api_keys` would otherwise overwrite ours), migrations in `drizzle`, and the rest belong to Postgres.
 */
const RESERVED_SCHEMAS = new Set(["public", "drizzle", "information_schema"]);
export const isReservedSchema = (name: string): boolean => RESERVED_SCHEMAS.has(name) || name.startsWith("pg_");

export const destinationSchema = z
  .object({
    type: z.literal("postgres"),
    schema: identifier.refine((s) => !isReservedSchema(s), "this schema is reserved; choose another warehouse schema"),
    /** Another Postgres to load into; absent = the app's own database. Write-only, like a source url. */
    url: postgresUrl().optional(),
  })
  .strict();

/** What a run does when the source's columns no longer match the warehouse table's. */
export const SCHEMA_CHANGE_POLICIES = ["propagate", "fail"] as const;
export const schemaChangePolicy = z.enum(SCHEMA_CHANGE_POLICIES);
export type SchemaChangePolicy = z.infer<typeof schemaChangePolicy>;

export type SampleTable = z.infer<typeof sampleTableSchema>;
export type SampleSource = z.infer<typeof sampleSourceSchema>;
export type PostgresSource = z.infer<typeof postgresSourceSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type DestinationConfig = z.infer<typeof destinationSchema>;

/** Table names must be unique within a sync: each lands in one warehouse table. */
export const tableNames = (source: SourceConfig): string[] => source.tables.map((t) => t.name);
