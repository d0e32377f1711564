import postgres from "postgres";
import { createUser } from "@/lib/auth/users";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "@/db/schema";
import { ensureAdminToken } from "./admin-token";
import { ensureDemoData } from "./demo";

/** Boot-time setup driven by the environment (PRODUCT §8). Idempotent. */
export async function bootstrap(url: string): Promise<void> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    if (process.env.ADMIN_API_TOKEN) await ensureAdminToken(sql, process.env.ADMIN_API_TOKEN);
    if (process.env.ADMIN_EMAIL && process.env.ADMIN_PASSWORD) {
      const [exists] = await sql`select 1 from users where lower(email) = lower(${process.env.ADMIN_EMAIL})`;
      if (!exists) await createUser(drizzle(sql, { schema }), { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD, role: "admin" });
    }
    if (process.env.DEMO_DATA !== "false") await ensureDemoData(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
