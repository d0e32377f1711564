import { assertAllowedTarget } from "@/lib/connections/guard";
import { normalizedTarget, parsePostgresUrl } from "@/lib/contracts/postgres-url";
import type { DestinationConfig, SourceConfig } from "@/lib/contracts/sync-config";
import { invalid } from "@/lib/errors";

/** Every url a create or an edit brings in must pass the connection guard (own database, allow-list). */
export async function assertAllowedTargets(source?: { type: string; url?: string }, destination?: { url?: string | null }): Promise<void> {
  if (source?.type === "postgres" && source.url) await assertAllowedTarget(source.url, "source.url");
  if (destination?.url) await assertAllowedTarget(destination.url, "destination.url");
}

/**
 * A warehouse schema that is the source's own schema in the source's own database would load each
 * table into itself, and a resync replaces the warehouse table: it would drop the source table and
 * lose what was written to it meanwhile.
 */
export function assertNotItsOwnSource(source: SourceConfig, destination: DestinationConfig): void {
  if (source.type !== "postgres" || !destination.url) return;
  const from = parsePostgresUrl(source.url);
  const to = parsePostgresUrl(destination.url);
  if (!from || !to || normalizedTarget(from) !== normalizedTarget(to) || (source.schema ?? "public") !== destination.schema) return;
  throw invalid(
    "destination.schema: this is the source's own schema in the source's own database; load into another schema",
    "destination.schema",
    "destination_is_source",
  );
}
