import type { DbOrTx } from "@/db/client";
import { invalid } from "@/lib/errors";
import { assertAllowedTarget } from "./guard";
import { storedConnection } from "./stored";
import { type ConnectionTarget, parseConnectionUrl } from "./target";

export type ConnectionRef = {
  url?: string;
  _syncId?: string;
  target?: "source" | "destination";
  schema?: string;
  replication?: "logical";
};
export type ResolvedConnection = { target: ConnectionTarget; role: "source" | "destination"; schema?: string; replication?: "logical" };

/**
 * A request names a database either by url or by an existing sync (whose stored url the caller
 * never sees). Either way the url is checked for shape, then against the hosts a sync may reach.
 */
export async function resolveConnection(db: DbOrTx, ref: ConnectionRef): Promise<ResolvedConnection> {
  const role = ref.target ?? "source";
  if (ref._syncId !== undefined) {
    if (ref.url !== undefined) throw invalid("url: give either url or _syncId, not both", "url");
    const stored = await storedConnection(db, ref._syncId, role);
    const target = parseConnectionUrl(stored.url, "_syncId");
    await assertAllowedTarget(stored.url, "_syncId");
    return { target, role, schema: ref.schema ?? stored.schema, replication: ref.replication ?? stored.replication };
  }
  if (ref.url === undefined) throw invalid("url: give the database's url, or _syncId to use a sync's stored one", "url", "missing_required_field");
  const target = parseConnectionUrl(ref.url, "url");
  // The app's own database is never a source or a warehouse url (the guard says why).
  await assertAllowedTarget(ref.url, "url");
  return { target, role, schema: ref.schema, replication: ref.replication };
}
