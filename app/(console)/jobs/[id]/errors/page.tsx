import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ErrorsView } from "@/components/errors/errors-view";
import { TableSkeleton } from "@/components/ui/skeleton";
import { requireUser } from "@/lib/ui/server/current-user";
import { familyOf } from "@/lib/ui/server/entities";
import { dehydrateFamily } from "@/lib/ui/server/prefetch";

export const dynamic = "force-dynamic";
type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Errors of job ${(await params).id.slice(0, 8)}` };
}

export default async function JobErrorsPage({ params }: Props) {
  const { id } = await params;
  await requireUser(`/jobs/${id}/errors`);
  const family = await familyOf(id);
  if (!family) notFound();
  return (
    <HydrationBoundary state={await dehydrateFamily(family)}>
      <Suspense fallback={<TableSkeleton rows={8} cols={6} label="Loading errors" />}>
        <ErrorsView jobId={family._id} />
      </Suspense>
    </HydrationBoundary>
  );
}
