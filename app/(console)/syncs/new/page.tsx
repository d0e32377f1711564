import type { Metadata } from "next";
import { NewSyncWizard } from "@/components/wizard/new-sync-wizard";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { requireUser } from "@/lib/ui/server/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New sync" };

type Props = { searchParams: Promise<{ integration?: string }> };

export default async function NewSyncPage({ searchParams }: Props) {
  const { integration } = await searchParams;
  const me = await requireUser(`/syncs/new${integration ? `?integration=${encodeURIComponent(integration)}` : ""}`);
  return (
    <>
      <PageHeader crumbs={[{ label: "Syncs" }]} title="New sync" />
      {me.role === "admin" ? (
        <NewSyncWizard initialIntegrationId={integration} />
      ) : (
        <EmptyState title="Only admins can create syncs">Ask an admin to set this sync up, or to give you the admin role.</EmptyState>
      )}
    </>
  );
}
