import type postgres from "postgres";
import { sealConfig } from "./config";
import { keyring } from "./keys";
import { isSealed, openValue, sealedKeyId } from "./seal";

export type RotateResult = { syncs: number; resealed: number; sealedPlaintext: number; unchanged: number; keyId: string };

type StoredRow = { id: string; source: Record<string, unknown>; destination: Record<string, unknown> };

/**
 * Re-encrypts every stored credential under the current ENCRYPTION_KEY (opening old ones with
 * ENCRYPTION_KEY_PREVIOUS) and recomputes warehouse fingerprints. Values written in the clear by
 * a version before sealing existed are sealed too. `onlyPlaintext` (boot) leaves sealed values as
 * they are. Runs in one transaction: either every sync moves to the new key or none does.
 */
export async function rotateStoredSecrets(sql: postgres.Sql, opts: { onlyPlaintext?: boolean } = {}): Promise<RotateResult> {
  const { primary } = keyring();
  return sql.begin(async (tx) => {
    const rows = await tx<StoredRow[]>`select id, source, destination from syncs order by id for update`;
    const result: RotateResult = { syncs: rows.length, resealed: 0, sealedPlaintext: 0, unchanged: 0, keyId: primary.id };
    for (const row of rows) {
      let changed = false;
      const next: Record<"source" | "destination", Record<string, unknown>> = { source: row.source, destination: row.destination };
      for (const part of ["source", "destination"] as const) {
        const config = row[part];
        const url = config?.url;
        if (typeof url !== "string" || !url) continue;
        if (!isSealed(url)) {
          result.sealedPlaintext++;
        } else if (opts.onlyPlaintext || sealedKeyId(url) === primary.id) {
          result.unchanged++;
          continue;
        } else {
          result.resealed++;
        }
        const plain = isSealed(url) ? openValue(url) : url;
        next[part] = sealConfig({ ...config, url: plain }, { fingerprint: part === "destination" });
        changed = true;
      }
      if (changed) {
        await tx`update syncs set source = ${JSON.stringify(next.source)}::jsonb, destination = ${JSON.stringify(next.destination)}::jsonb where id = ${row.id}`;
      }
    }
    return result;
  }) as Promise<RotateResult>;
}
