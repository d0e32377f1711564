import { asc, count } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";

export type UserView = { _id: string; email: string; role: "admin" | "support"; createdAt: string };

/** Users for the settings page, oldest first; never their password hashes. */
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
  const data: UserView[] = rows.map((r) => ({
    _id: r.id,
    email: r.email,
    role: r.role as UserView["role"],
    createdAt: r.createdAt.toISOString(),
  }));
  return { data, totalCount: n };
}
