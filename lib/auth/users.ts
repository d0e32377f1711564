import { and, eq, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { conflict, DomainError, forbidden, notFound } from "@/lib/errors";
import { type AuditActor, auditDiff, recordAudit } from "@/lib/audit";
import { isObjectId, newId } from "@/lib/ids";
import { dummyHash, hashPassword, verifyPassword } from "./passwords";
import type { Scope } from "@/lib/contracts/scopes";
import { scopesForRole } from "./principal";
import { forgetCachedPrincipals } from "./principal-cache";
import { sha256 } from "./tokens";

export type Role = "admin" | "support";
export type User = { id: string; email: string; role: Role; createdAt: Date };

/**
 * What the caller holds: a user may only be given powers the caller holds itself, or a key with
 * only `admin` could create an admin user, sign in as it and mint a key with every scope.
 * `undefined` is the operator at the CLI, who holds the database anyway.
 */
export type Grantor = readonly Scope[] | undefined;

function assertMayGrant(grantor: Grantor, role: Role, field: string, what: string): void {
  if (!grantor) return;
  const beyond = scopesForRole(role).filter((s) => !grantor.includes(s));
  if (beyond.length) {
    throw forbidden("insufficient_scope", `${what} needs the ${beyond.join(", ")} scope${beyond.length > 1 ? "s" : ""} you do not hold`, {
      field,
    });
  }
}

export async function createUser(
  db: DbOrTx,
  input: { email: string; password: string; role: Role },
  grantor?: Grantor,
  actor?: AuditActor,
): Promise<User> {
  assertMayGrant(grantor, input.role, "role", `Creating a user with the ${input.role} role`);
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ id: newId(), email, passwordHash, role: input.role })
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt });
    if (!row) throw conflict("user_exists", `A user with email ${email} already exists`, { field: "email" });
    await recordAudit(tx, actor, {
      action: "user.create",
      targetType: "user",
      targetId: row.id,
      changes: auditDiff(undefined, { email, role: input.role }),
    });
    return row as User;
  });
}

/** The user for these credentials, or null. Compares a hash even for unknown emails to keep timing flat. */
export async function checkCredentials(db: DbOrTx, email: string, password: string): Promise<Omit<User, "createdAt"> | null> {
  const [row] = await db.execute<{ id: string; email: string; role: Role; password_hash: string }>(
    sql`select id, email, role, password_hash from users where lower(email) = lower(${email.trim()})`,
  );
  const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
  return row && ok ? { id: row.id, email: row.email, role: row.role } : null;
}

const userNotFound = (id: string) => notFound("invalid_ref", `User ${id} not found`, "id");

export async function getUser(db: DbOrTx, id: string): Promise<User> {
  const [row] = isObjectId(id)
    ? await db
        .select({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt })
        .from(users)
        .where(eq(users.id, id))
    : [];
  if (!row) throw userNotFound(id);
  return row as User;
}

export async function findUserIdByEmail(db: DbOrTx, email: string): Promise<string> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`);
  if (!row) throw notFound("invalid_ref", `No user with email ${email}`, "email");
  return row.id;
}

type Locked = { target: User; admins: number };

/**
 * Locks every admin row and the target (one statement, id order, so two of these never
 * deadlock) and counts the admins. A concurrent demotion that committed first has already
 * changed its row, and Postgres re-checks `role = 'admin'` on the new version after the wait,
 * so of two concurrent "demote one of the last two admins" exactly one sees two admins.
 */
async function lockForChange(tx: DbOrTx, id: string): Promise<Locked> {
  if (!isObjectId(id)) throw userNotFound(id);
  const rows = await tx.execute<{ id: string; email: string; role: Role; created_at: Date }>(sql`
    select id, email, role, created_at from users where role = 'admin' or id = ${id} order by id for update`);
  const row = rows.find((r) => r.id === id);
  if (!row) throw userNotFound(id);
  return {
    target: { id: row.id, email: row.email, role: row.role, createdAt: new Date(row.created_at) },
    admins: rows.filter((r) => r.role === "admin").length,
  };
}

const lastAdmin = (what: string) =>
  conflict("last_admin", `${what} would leave no admin; make another user admin first`, { field: "role" });

/** Admin edits of another user: a new role and/or a new password (which signs them out everywhere). */
export async function updateUser(
  db: Db,
  id: string,
  patch: { role?: Role; password?: string },
  grantor?: Grantor,
  actor?: AuditActor,
): Promise<User> {
  if (patch.role) assertMayGrant(grantor, patch.role, "role", `Giving a user the ${patch.role} role`);
  // Hash before the transaction: bcrypt takes ~100 ms and the admin rows stay locked meanwhile.
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const updated = await db.transaction(async (tx) => {
    const { target, admins } = await lockForChange(tx, id);
    // Knowing a user's password is acting as them: resetting it needs their powers too.
    if (passwordHash) assertMayGrant(grantor, target.role, "password", `Resetting the password of a ${target.role} user`);
    if (target.role === "admin" && patch.role === "support" && admins <= 1) throw lastAdmin(`Demoting ${target.email}`);
    const set = { ...(patch.role ? { role: patch.role } : {}), ...(passwordHash ? { passwordHash } : {}) };
    const [row] = await tx
      .update(users)
      .set(set)
      .where(eq(users.id, id))
      .returning({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt });
    if (passwordHash) await tx.delete(sessions).where(eq(sessions.userId, id));
    const changes = auditDiff({ role: target.role }, { role: row.role });
    if (passwordHash) changes.password = { changed: true };
    await recordAudit(tx, actor, { action: "user.update", targetType: "user", targetId: id, changes });
    return row as User;
  });
  // A new role or password changes what cached sessions may do (see principal-cache.ts).
  forgetCachedPrincipals();
  return updated;
}

/** Deletes a user; their sessions go with them (foreign key cascade). */
export async function deleteUser(db: Db, id: string, actor?: AuditActor): Promise<User> {
  const deleted = await db.transaction(async (tx) => {
    const { target, admins } = await lockForChange(tx, id);
    if (target.role === "admin" && admins <= 1) throw lastAdmin(`Deleting ${target.email}`);
    await tx.delete(users).where(eq(users.id, id));
    await recordAudit(tx, actor, {
      action: "user.delete",
      targetType: "user",
      targetId: id,
      changes: auditDiff({ email: target.email, role: target.role }, undefined),
    });
    return target;
  });
  forgetCachedPrincipals();
  return deleted;
}

/**
 * The signed-in user's own change: needs the current password, and ends every other session
 * of the user (a stolen cookie dies with the old password) while keeping the one in use.
 */
export async function changeOwnPassword(
  db: Db,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionToken?: string },
): Promise<void> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, input.userId));
  if (!row || !(await verifyPassword(input.currentPassword, row.hash))) {
    throw new DomainError("invalid_credentials", "The current password is incorrect", { field: "currentPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    // Only if the hash is still the one we verified: two concurrent changes cannot both win.
    const [updated] = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, input.userId), eq(users.passwordHash, row.hash)))
      .returning({ id: users.id });
    if (!updated) throw conflict("password_changed", "The password was changed meanwhile; sign in again", { field: "currentPassword" });
    const keep = input.keepSessionToken ? sha256(input.keepSessionToken) : "";
    await tx.delete(sessions).where(and(eq(sessions.userId, input.userId), ne(sessions.tokenHash, keep)));
  });
  forgetCachedPrincipals();
}
