import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { newId } from "@/lib/ids";
import { hashPassword, verifyPassword } from "./passwords";

export type Role = "admin" | "support";
export type User = { id: string; email: string; role: Role };

export async function createUser(db: DbOrTx, input: { email: string; password: string; role: Role }): Promise<User> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ id: newId(), email, passwordHash, role: input.role })
    .onConflictDoNothing()
    .returning({ id: users.id, email: users.email, role: users.role });
  if (!row) throw new ApiError(409, "user_exists", `A user with email ${email} already exists`, { field: "email" });
  return row as User;
}

/** The user for these credentials, or null. Compares a hash even for unknown emails to keep timing flat. */
export async function checkCredentials(db: DbOrTx, email: string, password: string): Promise<User | null> {
  const [row] = await db.execute<{ id: string; email: string; role: Role; password_hash: string }>(
    sql`select id, email, role, password_hash from users where lower(email) = lower(${email.trim()})`,
  );
  const ok = await verifyPassword(password, row?.password_hash ?? "$2b$11$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva");
  return row && ok ? { id: row.id, email: row.email, role: row.role } : null;
}
