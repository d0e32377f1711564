import { z } from "zod";
import { getDb } from "@/db/client";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { listUsers } from "@/lib/auth/user-list";
import { createUser } from "@/lib/auth/users";
import { pageQuery } from "@/lib/contracts/management";
import { log } from "@/lib/runtime/log";

const UserCreateBody = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  role: z.enum(["admin", "support"]),
});

export const GET = route({ scope: "admin" }, async ({ req }) => json(await listUsers(getDb(), parseQuery(req, pageQuery))));

/** Creates a dashboard user (409 `user_exists` for a taken email). */
export const POST = route({ scope: "admin" }, async ({ req, principal }) => {
  const body = await parseBody(req, UserCreateBody);
  const user = await createUser(getDb(), body);
  log.info("user created", { userId: user.id, role: user.role, by: principal.kind === "user" ? principal.email : principal.name });
  return json({ _id: user.id, email: user.email, role: user.role }, { status: 201 });
});
