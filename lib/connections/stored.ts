import type { DbOrTx } from "@/db/client";
import { invalid } from "@/lib/errors";
import { storedSyncConfig } from "@/lib/syncs/stored-config";

export type StoredConnection = { url: string; schema?: string; replication?: "logical" };

/**
 * A sync's stored connection for the tester and discovery, read (and decrypted) through
 * storedSyncConfig, the one place sealed credentials are opened for server-side use.
 */
export async function storedConnection(db: DbOrTx, syncId: string, target: "source" | "destination"): Promise<StoredConnection> {
  const { source, destination } = await storedSyncConfig(db, syncId);
  if (target === "source") {
    if (source.type !== "postgres") throw invalid(`target: sync ${syncId} reads generated sample data; it has no connection to test`, "target");
    return { url: source.url, schema: source.schema, replication: source.replication };
  }
  if (!destination.url) throw invalid(`target: sync ${syncId} loads into the app's own database; it has no warehouse connection to test`, "target");
  return { url: destination.url, schema: destination.schema };
}
