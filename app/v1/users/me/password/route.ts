import { getDb } from "@/db/client";
import { forbidden } from "@/lib/errors";
import { noContent, parseBody, route } from "@/lib/api/handler";
import { SESSION_COOKIE } from "@/lib/auth/principal";
import { beginSignIn, clientAddress } from "@/lib/auth/sign-in-throttle";
import { changeOwnPassword } from "@/lib/auth/users";
import { passwordChangeBody } from "@/lib/contracts/users";
import { log } from "@/lib/runtime/log";

/**
 * The signed-in user's own password; every other session of theirs is signed out, this one stays.
 * Wrong current passwords count as failed sign-ins of the account (429 past the same limit).
 * A wrong current password is a form error here (400), not the sign-in's 401: the caller is signed
 * in, and the dashboard treats a 401 as an ended session.
 */
export const POST = route({ scope: "sync:read", statusOverrides: { invalid_credentials: 400 } }, async ({ req, principal }) => {
  if (principal.kind !== "user") throw forbidden("session_required", "Only a signed-in dashboard user can change their own password");
  const body = await parseBody(req, passwordChangeBody);
  // Guessing the current password here is guessing a sign-in: it spends the same budget (per
  // account and per client address), so a stolen session cannot try passwords without limit.
  const attempt = await beginSignIn(principal.email, clientAddress(req.headers));
  await changeOwnPassword(getDb(), {
    userId: principal.id,
    currentPassword: body.currentPassword,
    newPassword: body.newPassword,
    keepSessionToken: req.cookies.get(SESSION_COOKIE)?.value,
  });
  await attempt.succeeded();
  log.info("password changed", { userId: principal.id });
  return noContent();
});
