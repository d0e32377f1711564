import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { JobView } from "@/components/job/job-view";
import { requireUser } from "@/lib/ui/server/current-user";
import { dehydrateFamily, loadFamily } from "@/lib/ui/server/prefetch";

export const dynamic = "force-dynamic";
type Props = { params: Promise<{ id: string }> };

const familyOf = cache(loadFamily);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id.slice(0, 8)}` };
}

export default async function JobPage({ params }: Props) {
  const { id } = await params;
  await requireUser(`/jobs/${id}`);
  const family = await familyOf(id);
  if (!family) notFound();
  return (
    <HydrationBoundary state={await dehydrateFamily(family)}>
      <JobView jobId={family._id} />
    </HydrationBoundary>
  );
}
