import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { ensureApiKeyWithToken } from "@/lib/auth/api-keys";
import { createUser } from "@/lib/auth/users";
import { rotateStoredSecrets } from "@/lib/secrets";
import { ensureDemoData } from "./demo";

/** Boot-time setup driven by the environment (PRODUCT §8). Idempotent. */
export async function bootstrap(url: string): Promise<void> {
  const handles = connect(url, 2);
  const { db } = handles;
  try {
    // Credentials stored in the clear by a version that did not seal them are sealed now.
    await rotateStoredSecrets(handles.sql, { onlyPlaintext: true });
    // The key keeps the name "admin-token": it is what `triggeredBy` shows for runs it starts.
    if (process.env.ADMIN_API_TOKEN) await ensureApiKeyWithToken(db, process.env.ADMIN_API_TOKEN, "admin-token");
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = process.env;
    if (email && password) {
      const [exists] = await db.execute(sql`select 1 from users where lower(email) = lower(${email})`);
      if (!exists) await createUser(db, { email, password, role: "admin" });
    }
    if (process.env.DEMO_DATA !== "false") await ensureDemoData(db);
  } finally {
    await handles.sql.end({ timeout: 5 });
  }
}
