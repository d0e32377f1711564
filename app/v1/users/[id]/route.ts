import { getDb } from "@/db/client";
import { actorFromPrincipal } from "@/lib/audit";
import { json, noContent, parseBody, route } from "@/lib/api/handler";
import { presentUser } from "@/lib/auth/user-list";
import { deleteUser, getUser, updateUser } from "@/lib/auth/users";
import { userPatchBody } from "@/lib/contracts/users";
import { log } from "@/lib/runtime/log";

type Params = { id: string };
const actor = (p: { kind: string; email?: string; name?: string }) => (p.kind === "user" ? p.email : p.name);

export const GET = route<Params>({ scope: "admin" }, async ({ params }) => json(presentUser(await getUser(getDb(), params.id))));

/** A new role and/or a new password; never the last admin, never beyond the caller's powers. */
export const PATCH = route<Params>({ scope: "admin" }, async ({ req, params, principal }) => {
  const patch = await parseBody(req, userPatchBody);
  const user = await updateUser(getDb(), params.id, patch, principal.scopes, actorFromPrincipal(principal));
  log.info("user updated", { userId: user.id, role: user.role, passwordReset: patch.password !== undefined, by: actor(principal) });
  return json(presentUser(user));
});

export const DELETE = route<Params>({ scope: "admin" }, async ({ params, principal }) => {
  const user = await deleteUser(getDb(), params.id, actorFromPrincipal(principal));
  log.info("user deleted", { userId: user.id, by: actor(principal) });
  return noContent();
});
