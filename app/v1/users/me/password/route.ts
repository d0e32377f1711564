import { getDb } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import { noContent, parseBody, route } from "@/lib/api/handler";
import { SESSION_COOKIE } from "@/lib/auth/principal";
import { changeOwnPassword } from "@/lib/auth/users";
import { passwordChangeBody } from "@/lib/contracts/users";
import { log } from "@/lib/runtime/log";

/** The signed-in user's own password; every other session of theirs is signed out, this one stays. */
export const POST = route({ scope: "sync:read" }, async ({ req, principal }) => {
  if (principal.kind !== "user") throw new ApiError(403, "session_required", "Only a signed-in dashboard user can change their own password");
  const body = await parseBody(req, passwordChangeBody);
  await changeOwnPassword(getDb(), {
    userId: principal.id,
    currentPassword: body.currentPassword,
    newPassword: body.newPassword,
    keepSessionToken: req.cookies.get(SESSION_COOKIE)?.value,
  });
  log.info("password changed", { userId: principal.id });
  return noContent();
});
