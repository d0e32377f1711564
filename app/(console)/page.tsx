import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { OverviewView } from "@/components/overview/overview-view";
import { requireUser } from "@/lib/ui/server/current-user";
import { prefetchOverview } from "@/lib/ui/server/prefetch-overview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

/** Home is the overview: the latest failures across every integration, then each integration's health. */
export default async function HomePage() {
  await requireUser("/");
  return (
    <HydrationBoundary state={await prefetchOverview()}>
      <OverviewView />
    </HydrationBoundary>
  );
}
