import type { DbOrTx } from "@/db/client";
import { assertAllowedTarget } from "@/lib/connections/guard";
import { type ConnectionTarget, parseConnectionUrl } from "@/lib/connections/target";
import { invalid } from "@/lib/errors";
import { storedSyncConfig } from "./stored-config";

/**
 * How the connection tester and source discovery name a database: by url, or by an existing sync
 * whose stored url the caller never sees. It lives with syncs (not lib/connections) because the
 * second form reads a sync; lib/connections only knows urls.
 */
export type ConnectionRef = {
  url?: string;
  _syncId?: string;
  target?: "source" | "destination";
  schema?: string;
  replication?: "logical";
};
export type ResolvedConnection = { target: ConnectionTarget; role: "source" | "destination"; schema?: string; replication?: "logical" };

/** Either way the url is checked for shape, then against the hosts a sync may reach. */
export async function resolveConnection(db: DbOrTx, ref: ConnectionRef): Promise<ResolvedConnection> {
  const role = ref.target ?? "source";
  if (ref._syncId !== undefined) {
    if (ref.url !== undefined) throw invalid("url: give either url or _syncId, not both", "url");
    const stored = await storedConnection(db, ref._syncId, role);
    const target = parseConnectionUrl(stored.url, "_syncId");
    await assertAllowedTarget(stored.url, "_syncId");
    return { target, role, schema: ref.schema ?? stored.schema, replication: ref.replication ?? stored.replication };
  }
  if (ref.url === undefined)
    throw invalid("url: give the database's url, or _syncId to use a sync's stored one", "url", "missing_required_field");
  const target = parseConnectionUrl(ref.url, "url");
  // The app's own database is never a source or a warehouse url (the guard says why).
  await assertAllowedTarget(ref.url, "url");
  return { target, role, schema: ref.schema, replication: ref.replication };
}

type StoredConnection = { url: string; schema?: string; replication?: "logical" };

/**
 * A sync's stored connection, read (and decrypted) through storedSyncConfig, the one place sealed
 * credentials are opened for server-side use.
 */
async function storedConnection(db: DbOrTx, syncId: string, target: "source" | "destination"): Promise<StoredConnection> {
  const { source, destination } = await storedSyncConfig(db, syncId);
  if (target === "source") {
    if (source.type !== "postgres")
      throw invalid(`target: sync ${syncId} reads generated sample data; it has no connection to test`, "target");
    return { url: source.url, schema: source.schema, replication: source.replication };
  }
  if (!destination.url)
    throw invalid(`target: sync ${syncId} loads into the app's own database; it has no warehouse connection to test`, "target");
  return { url: destination.url, schema: destination.schema };
}
