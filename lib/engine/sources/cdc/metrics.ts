import type postgres from "postgres";
import { Gauge, type Registry } from "prom-client";
import { openConfig } from "@/lib/secrets";
import type { PostgresSource } from "@/lib/contracts/sync-config";
import { replicationStatus } from "./status";

/**
 * `sync_console_replication_lag_bytes{sync_id}`: WAL each change data capture sync's slot keeps on
 * its source. Each source is asked with a 2-second timeout, all at once; a source that does not
 * answer is left out of the scrape (never fails it).
 */
export async function collectReplicationLag(sql: postgres.Sql, registry: Registry): Promise<void> {
  const gauge = new Gauge({
    name: "sync_console_replication_lag_bytes",
    help: "Bytes of WAL between a change data capture source's current position and its slot's confirmed position",
    labelNames: ["sync_id"],
    registers: [registry],
  });
  const syncs = await sql<{ id: string; source: PostgresSource }[]>`
    select id, source from syncs where source->>'type' = 'postgres' and source->>'replication' = 'logical'`;
  const statuses = await Promise.all(
    syncs.map(async (s) => ({ id: s.id, status: await replicationStatus(openConfig(s.source), s.id, 2).catch(() => null) })),
  );
  for (const { id, status } of statuses) if (status?.lagBytes != null) gauge.set({ sync_id: id }, status.lagBytes);
}
