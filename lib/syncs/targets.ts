import { assertAllowedTarget } from "@/lib/connections/guard";

/** Every url a create or an edit brings in must pass the connection guard (own database, allow-list). */
export async function assertAllowedTargets(source?: { type: string; url?: string }, destination?: { url?: string | null }): Promise<void> {
  if (source?.type === "postgres" && source.url) await assertAllowedTarget(source.url, "source.url");
  if (destination?.url) await assertAllowedTarget(destination.url, "destination.url");
}
