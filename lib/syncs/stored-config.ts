import type { DbOrTx } from "@/db/client";
import { openConfig } from "@/lib/secrets";
import type { DestinationConfig, SourceConfig } from "@/lib/contracts/sync-config";
import { getSyncOr404 } from "./queries";

/**
 * A sync's source and destination with their credentials decrypted, for server-side use only
 * (testing the connection of an existing sync). Never return this to a client: present it first.
 * 404 `invalid_ref` naming `field` when there is no such sync.
 */
export async function storedSyncConfig(
  db: DbOrTx,
  syncId: string,
  field = "_syncId",
): Promise<{ source: SourceConfig; destination: DestinationConfig }> {
  const row = await getSyncOr404(db, syncId, { field });
  return { source: openConfig(row.source as SourceConfig), destination: openConfig(row.destination as DestinationConfig) };
}
