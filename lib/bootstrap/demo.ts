import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { triggerRun } from "@/lib/jobs/trigger";
import { log } from "@/lib/runtime/log";
import { createIntegration, createSync } from "@/lib/syncs/create";

type DemoSync = Parameters<typeof createSync>[1] & { runAtStart: boolean };

/**
 * On a first start (no integrations yet) create a demo integration that teaches: one sync per
 * outcome a newcomer will meet, each saying in one line what it shows, and each run once so the
 * overview has green, amber and red to explain from the first minute.
 */
export async function ensureDemoData(db: Db): Promise<void> {
  const [{ n }] = await db.execute<{ n: number }>(sql`select count(*)::int as n from integrations`);
  if (n > 0) return;
  const integration = await createIntegration(db, "Demo shop");
  const sample = (seed: number, tables: { name: string; rows: number; [k: string]: unknown }[]) => ({
    type: "sample" as const,
    seed,
    tables,
  });
  const syncs: Omit<DemoSync, "_integrationId">[] = [
    {
      name: "CRM contacts",
      description: "Healthy: every row lands; each later run copies only the rows that changed since the last one.",
      source: sample(11, [
        { name: "contacts", rows: 2000, changeRate: 0.05 },
        { name: "companies", rows: 300, changeRate: 0.1 },
      ]),
      destination: { type: "postgres", schema: "wh_crm" },
      runAtStart: true,
    },
    {
      name: "Shop orders",
      description: "Completes with record errors: a few rows are rejected by the warehouse; the red count opens each one with its reason.",
      source: sample(7, [
        { name: "customers", rows: 5000, changeRate: 0.02, badRecordRate: 0.002 },
        { name: "orders", rows: 20000, badRecordRate: 0.0005 },
      ]),
      destination: { type: "postgres", schema: "wh_shop" },
      runAtStart: true,
    },
    {
      name: "Payments ledger",
      description: "Fails on purpose: the payouts table stops with a source error, so the job is red; the other table still loads.",
      source: sample(5, [
        { name: "payments", rows: 3000 },
        {
          name: "payouts",
          rows: 400,
          failWith: {
            code: "SOURCE_REFUSED",
            message: "the payments provider closed the export after 120 rows (demo failure)",
            afterRows: 120,
          },
        },
      ]),
      destination: { type: "postgres", schema: "wh_payments" },
      runAtStart: true,
    },
    {
      name: "Billing (slow)",
      description: "Runs slowly on purpose (about 20 seconds), so you can watch the progress bars move and try Cancel.",
      source: sample(3, [{ name: "invoices", rows: 30000, rowsPerSecond: 1500 }]),
      destination: { type: "postgres", schema: "wh_billing" },
      runAtStart: false,
    },
  ];
  for (const { runAtStart, ...s } of syncs) {
    const row = await createSync(db, { _integrationId: integration.id, ...s });
    if (runAtStart) await triggerRun(db, { syncId: row.id, runType: "normal", triggeredBy: "system:demo-setup" });
  }
  log.info("created the demo integration", { integrationId: integration.id, syncs: syncs.length });
}
