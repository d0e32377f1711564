import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { log } from "@/lib/runtime/log";
import { createIntegration, createSync } from "@/lib/syncs/create";

/** On a first start (no integrations yet) create a demo integration whose syncs show every engine behaviour. */
export async function ensureDemoData(db: Db): Promise<void> {
  const [{ n }] = await db.execute<{ n: number }>(sql`select count(*)::int as n from integrations`);
  if (n > 0) return;
  const integration = await createIntegration(db, "Demo shop");
  const syncs = [
    {
      name: "Shop to warehouse",
      source: {
        type: "sample" as const,
        seed: 7,
        tables: [
          { name: "customers", rows: 5000, changeRate: 0.02, badRecordRate: 0.001 },
          { name: "orders", rows: 20000, rowsPerSecond: 4000 },
          { name: "ledger", rows: 100, failWith: { code: "PLATFORM_ERROR", message: "upstream said no", afterRows: 50 } },
          { name: "events", rows: 1000, transientFailures: 2 },
        ],
      },
      destination: { type: "postgres" as const, schema: "wh_shop" },
    },
    {
      name: "CRM contacts",
      source: { type: "sample" as const, seed: 11, tables: [{ name: "contacts", rows: 2000, changeRate: 0.05 }, { name: "companies", rows: 300, changeRate: 0.1 }] },
      destination: { type: "postgres" as const, schema: "wh_crm" },
    },
    {
      name: "Billing (slow)",
      source: { type: "sample" as const, seed: 3, tables: [{ name: "invoices", rows: 30000, rowsPerSecond: 1500, badRecordRate: 0.002 }] },
      destination: { type: "postgres" as const, schema: "wh_billing" },
    },
  ];
  for (const s of syncs) await createSync(db, { _integrationId: integration.id, ...s });
  log.info("created the demo integration", { integrationId: integration.id, syncs: syncs.length });
}
