import { asc, count } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import type { userSchema } from "@/lib/contracts/users";

export type UserView = z.infer<typeof userSchema>;
type UserRow = { id: string; email: string; role: string; createdAt: Date };

/** The wire shape of a user: never the password hash. */
export const presentUser = (r: UserRow): UserView => ({
  _id: r.id,
  email: r.email,
  role: r.role as UserView["role"],
  createdAt: r.createdAt.toISOString(),
});

/** Users for the settings page, oldest first. */
export async function listUsers(db: DbOrTx, params: { limit: number; offset: number }) {
  const [rows, [{ n }]] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt })
      .from(users)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(params.limit)
      .offset(params.offset),
    db.select({ n: count() }).from(users),
  ]);
  return { data: rows.map(presentUser), totalCount: n };
}
