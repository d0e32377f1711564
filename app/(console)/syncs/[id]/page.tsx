import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SyncView } from "@/components/sync/sync-view";
import { HISTORY_PAGE_SIZE } from "@/lib/ui/constants";
import { currentUser, requireUser } from "@/lib/ui/server/current-user";
import { syncOf } from "@/lib/ui/server/entities";
import { prefetchSyncPage } from "@/lib/ui/server/prefetch";

export const dynamic = "force-dynamic";
type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ status?: string }> };

/** The title names the sync only for a signed-in viewer: without a session it would leak past sign-in. */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!(await currentUser())) return { title: "Sign in" };
  const sync = await syncOf((await params).id);
  return { title: sync?.name ?? "Sync not found" };
}

export default async function SyncPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { status } = await searchParams;
  await requireUser(`/syncs/${id}`);
  const sync = await syncOf(id);
  if (!sync) notFound();
  const state = await prefetchSyncPage(sync, { status: status || undefined, limit: HISTORY_PAGE_SIZE });
  return (
    <HydrationBoundary state={state}>
      <SyncView syncId={sync._id} />
    </HydrationBoundary>
  );
}
