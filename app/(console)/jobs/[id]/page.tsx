import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobView } from "@/components/job/job-view";
import { requireUser } from "@/lib/ui/server/current-user";
import { familyOf } from "@/lib/ui/server/entities";
import { dehydrateFamily } from "@/lib/ui/server/prefetch";

export const dynamic = "force-dynamic";
type Props = { params: Promise<{ id: string }> };

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
