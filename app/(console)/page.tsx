import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/states";
import { requireUser } from "@/lib/ui/server/current-user";
import { firstIntegrationId } from "@/lib/ui/server/prefetch";

export const dynamic = "force-dynamic";

/** Home is the first integration's page; with none yet, say how to create one. */
export default async function HomePage() {
  await requireUser("/");
  const id = await firstIntegrationId();
  if (id) redirect(`/integrations/${id}`);
  return (
    <EmptyState title="No integrations yet" className="mt-10">
      An integration groups the syncs (connectors) of one system. Create one with{" "}
      <code className="rounded bg-zinc-100 px-1">POST /v1/integrations</code> and add syncs with{" "}
      <code className="rounded bg-zinc-100 px-1">POST /v1/syncs</code>. See the{" "}
      <Link href="/api-docs" className="font-medium text-blue-700 underline">
        API reference
      </Link>
      .
    </EmptyState>
  );
}
