import postgres from "postgres";
import { pgTypes, reconnectBackoff } from "@/db/client";
import type { DestinationConfig } from "@/lib/contracts/sync-config";
import { config } from "@/lib/runtime/config";
import { withNoDelay } from "../pg-socket";

/**
 * Connections to warehouses, one small pool per destination url, kept for the worker's life.
 * A destination without a url is a schema of the app's own database: the worker's own pool.
 */
export class Warehouses {
  private readonly pools = new Map<string, postgres.Sql>();

  constructor(
    private readonly own: postgres.Sql,
    private readonly max: number,
  ) {}

  for(destination: DestinationConfig): postgres.Sql {
    if (!destination.url) return this.own;
    let pool = this.pools.get(destination.url);
    if (!pool) {
      pool = postgres(
        destination.url,
        // The table job paces its own retries; postgres.js's default wait before reconnecting grows
        // to 20 s after a few failures, which would stretch each attempt after a warehouse restart.
        // A lock someone else holds on a warehouse table (a LOCK TABLE, a VACUUM FULL) fails the
        // attempt after a while, to be retried, instead of leaving the table job waiting as long as they hold it.
        withNoDelay({
          max: this.max,
          onnotice: () => {},
          types: pgTypes,
          connect_timeout: 10,
          idle_timeout: 60,
          backoff: reconnectBackoff,
          connection: { lock_timeout: config.warehouseLockWaitMs() },
        }),
      );
      this.pools.set(destination.url, pool);
    }
    return pool;
  }

  async end(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((p) => p.end({ timeout: 5 })));
    this.pools.clear();
  }
}
