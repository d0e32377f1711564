import type { Metadata } from "next";
import { SettingsView } from "@/components/settings/settings-view";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/ui/server/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireUser("/settings");
  return (
    <>
      <PageHeader title="Settings" />
      <SettingsView />
    </>
  );
}
