import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { IntegrationView } from "@/components/integration/integration-view";
import { currentUser, requireUser } from "@/lib/ui/server/current-user";
import { integrationOf } from "@/lib/ui/server/entities";
import { prefetchIntegrationPage } from "@/lib/ui/server/prefetch";

export const dynamic = "force-dynamic";
type Props = { params: Promise<{ id: string }> };

/** The title names the integration only for a signed-in viewer: without a session it would leak past sign-in. */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!(await currentUser())) return { title: "Sign in" };
  const integration = await integrationOf((await params).id);
  return { title: integration?.name ?? "Integration not found" };
}

export default async function IntegrationPage({ params }: Props) {
  const { id } = await params;
  await requireUser(`/integrations/${id}`);
  const integration = await integrationOf(id);
  if (!integration) notFound();
  return (
    <HydrationBoundary state={await prefetchIntegrationPage(integration)}>
      <IntegrationView integrationId={integration._id} />
    </HydrationBoundary>
  );
}
