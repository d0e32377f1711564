import { getDb } from "@/db/client";
import { actorFromPrincipal } from "@/lib/audit";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { listUsers, presentUser } from "@/lib/auth/user-list";
import { createUser } from "@/lib/auth/users";
import { userCreateBody, userListQuery } from "@/lib/contracts/users";
import { log } from "@/lib/runtime/log";

export const GET = route({ scope: "admin" }, async ({ req }) => json(await listUsers(getDb(), parseQuery(req, userListQuery))));

/** Creates a dashboard user with at most the caller's own powers (409 `user_exists` for a taken email). */
export const POST = route({ scope: "admin" }, async ({ req, principal }) => {
  const user = await createUser(getDb(), await parseBody(req, userCreateBody), principal.scopes, actorFromPrincipal(principal));
  log.info("user created", { userId: user.id, role: user.role, by: principal.kind === "user" ? principal.email : principal.name });
  return json(presentUser(user), { status: 201 });
});
