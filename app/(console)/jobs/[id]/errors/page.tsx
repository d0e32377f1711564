import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ErrorsView } from "@/components/errors/errors-view";
import { requireUser } from "@/lib/ui/server/current-user";
import { familyOf } from "@/lib/ui/server/entities";
import { prefetchJobErrors } from "@/lib/ui/server/prefetch";

export const dynamic = "force-dynamic";
type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Errors of job ${(await params).id.slice(0, 8)}` };
}

export default async function JobErrorsPage({ params, searchParams }: Props) {
  const { id } = await params;
  await requireUser(`/jobs/${id}/errors`);
  const family = await familyOf(id);
  if (!family) notFound();
  // The URL's filter, as the view reads it (useUrlFilters: one value per key, empty = absent).
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" && sp[k] ? sp[k] : undefined);
  const filter = { child: one("child"), code: one("code"), stage: one("stage"), q: one("q") };
  return (
    <HydrationBoundary state={await prefetchJobErrors(family, filter)}>
      {/* Rendered in the page's first flush, not behind a Suspense boundary: React reveals a streamed
          boundary no sooner than 300 ms after the previous paint. */}
      <ErrorsView jobId={family._id} />
    </HydrationBoundary>
  );
}
