import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { requireUser } from "@/lib/ui/server/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const me = await requireUser("/audit");
  return (
    <>
      <PageHeader title="Audit log" />
      {me.role === "admin" ? (
        <AuditLog />
      ) : (
        <EmptyState title="Only admins can read the audit log">Ask an admin if you need to know who changed something.</EmptyState>
      )}
    </>
  );
}
