import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { log } from "@/lib/runtime/log";

/**
 * An API key's `last_used_at` is a "seen recently" stamp, not an audit trail: each process writes it
 * at most once a minute per key, after the response, in one statement for all keys due. A read never
 * waits for (or fails with) this write. The condition is repeated in the UPDATE so several processes
 * stamping the same key within the minute write once.
 */
const EVERY_MS = 60_000;
const EVERY = "1 minute";

const stampedAt = new Map<string, number>();
let due = new Set<string>();
let flushing = false;

export function noteKeyUsed(db: DbOrTx, keyId: string, now = Date.now()): void {
  if (now - (stampedAt.get(keyId) ?? 0) < EVERY_MS) return;
  stampedAt.set(keyId, now);
  due.add(keyId);
  if (flushing) return;
  flushing = true;
  setImmediate(() => void flush(db));
}

async function flush(db: DbOrTx): Promise<void> {
  const ids = [...due];
  due = new Set();
  try {
    await db.execute(sql`
      update api_keys set last_used_at = now()
       where ${inArray(apiKeys.id, ids)}
         and (last_used_at is null or last_used_at < now() - ${EVERY}::interval)`);
  } catch (e) {
    // Try again on the key's next use rather than never.
    for (const id of ids) stampedAt.delete(id);
    log.warn("could not stamp last_used_at of API keys", { err: String((e as Error)?.message ?? e) });
  } finally {
    flushing = false;
    if (due.size) {
      flushing = true;
      setImmediate(() => void flush(db));
    }
  }
  if (stampedAt.size > 10_000) stampedAt.clear();
}
