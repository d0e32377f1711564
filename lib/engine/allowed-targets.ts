import { type DestinationConfig, sourceSchema } from "@/lib/contracts/sync-config";
import { isDomainError } from "@/lib/errors";
import { assertAllowedTargets } from "@/lib/syncs/targets";
import { LoadRefused } from "./warehouse/refused";

/**
 * The connection guard (the app's own database, SOURCE_HOSTS_ALLOW) ran when the sync was saved;
 * a host name may resolve elsewhere by now, and the allow-list may have been narrowed since. Each
 * attempt checks again before it connects, and a refusal fails the table at once.
 */
export async function assertStillAllowed(source: unknown, destination: DestinationConfig): Promise<void> {
  try {
    await assertAllowedTargets(sourceSchema.parse(source), destination);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    throw new LoadRefused(
      "CONNECTION_NOT_ALLOWED",
      `This sync may no longer connect where it points (${e.message}). Change its connection, or the allowed hosts, and run again.`,
    );
  }
}
