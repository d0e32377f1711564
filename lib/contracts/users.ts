/**
 * Wire contracts of the dashboard users API (/v1/users…). The same schemas validate the
 * requests, type the services and generate /v1/openapi.json.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";
import { objectId, pageQuery } from "./management";

extendZodWithOpenApi(z);

export const ROLES = ["admin", "support"] as const;
export const roleSchema = z.enum(ROLES).openapi("UserRole", {
  description: "`admin`: every scope (read, run and cancel, manage). `support`: read-only (`sync:read`).",
  example: "support",
});

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * bcrypt only reads the first 72 bytes of a password; a longer one would be silently cut, so it
 * is refused here with the reason instead.
 */
export const newPassword = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(200)
  .refine((s) => utf8Bytes(s) <= 72, "must be at most 72 bytes (bcrypt ignores anything longer)")
  .openapi({ description: "8 characters to 72 bytes. Write-only: never returned.", example: "correct-horse-battery" });

export const userSchema = z
  .object({
    _id: objectId,
    email: z.string().openapi({ example: "ana@example.com" }),
    role: roleSchema,
    createdAt: z.iso.datetime({ offset: true }).openapi({ example: "2026-11-20T09:30:00.000Z" }),
  })
  .openapi("User", {
    example: { _id: "65f1c2a9e4b0a1b2c3d4e5f6", email: "ana@example.com", role: "support", createdAt: "2026-11-20T09:30:00.000Z" },
  });

export const userList = z.object({ data: z.array(userSchema), totalCount: z.int() }).openapi("UserList", {
  example: {
    data: [{ _id: "65f1c2a9e4b0a1b2c3d4e5f6", email: "ana@example.com", role: "support", createdAt: "2026-11-20T09:30:00.000Z" }],
    totalCount: 1,
  },
});

export const userCreateBody = z
  .strictObject({
    email: z.email().max(320).openapi({ example: "ana@example.com" }),
    password: newPassword,
    role: roleSchema,
  })
  .openapi("UserCreate", { example: { email: "ana@example.com", password: "correct-horse-battery", role: "support" } });
export type UserCreateBody = z.infer<typeof userCreateBody>;

export const userPatchBody = z
  .strictObject({
    role: roleSchema.optional(),
    password: newPassword.optional().openapi({ description: "A new password set by an admin; signs the user out everywhere." }),
  })
  .refine((b) => b.role !== undefined || b.password !== undefined, { message: "send role, password or both", path: ["role"] })
  .openapi("UserPatch", { example: { role: "admin" } });
export type UserPatchBody = z.infer<typeof userPatchBody>;

export const passwordChangeBody = z
  .strictObject({
    currentPassword: z.string().min(1, "enter your current password").max(1000).openapi({ example: "old-password-123" }),
    newPassword,
  })
  .openapi("PasswordChange", { example: { currentPassword: "old-password-123", newPassword: "correct-horse-battery" } });

export const userListQuery = pageQuery;
export const userParams = z.object({ id: objectId.openapi({ description: "User id." }) });

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = (statuses: Record<number, string>) => ({
  401: json(UnauthorizedBody, "No, bad, revoked or expired credentials (bare `{message}` body)."),
  403: json(ErrorEnvelope, "Lacks the scope, or would grant powers the caller does not hold (`insufficient_scope`)."),
  ...Object.fromEntries(Object.entries(statuses).map(([s, d]) => [s, json(ErrorEnvelope, d)])),
});

const POWERS =
  "A caller may only give a user powers it holds itself: an admin signed in to the dashboard holds every scope, an API key " +
  "its own scopes. A `support` user needs `sync:read`, an `admin` user all three scopes; otherwise 403 `insufficient_scope`.";

/** Registers the users paths; lib/contracts/openapi.ts includes them in /v1/openapi.json. */
export function registerUserRoutes(registry: OpenAPIRegistry): void {
  const tags = ["Users"];
  const security = [{ bearerAuth: [] }];
  registry.registerPath({
    method: "get",
    path: "/v1/users",
    operationId: "listUsers",
    tags,
    security,
    "x-required-scope": "admin",
    summary: "List dashboard users, oldest first (scope admin)",
    request: { query: userListQuery },
    responses: { 200: json(userList, "A page of users (never their password hashes)."), ...errors({ 400: "Bad paging parameter." }) },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/users",
    operationId: "createUser",
    tags,
    security,
    "x-required-scope": "admin",
    summary: "Create a dashboard user (scope admin)",
    description: POWERS,
    request: { body: { required: true, content: { "application/json": { schema: userCreateBody } } } },
    responses: {
      201: json(userSchema, "Created."),
      ...errors({ 400: "Invalid input; `field` names it.", 409: "The email is taken (`user_exists`).", 413: "Body over 1 MB." }),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/users/{id}",
    operationId: "getUser",
    tags,
    security,
    "x-required-scope": "admin",
    summary: "Get a user (scope admin)",
    request: { params: userParams },
    responses: { 200: json(userSchema, "The user."), ...errors({ 404: "Unknown user (`invalid_ref`)." }) },
  });
  registry.registerPath({
    method: "patch",
    path: "/v1/users/{id}",
    operationId: "updateUser",
    tags,
    security,
    "x-required-scope": "admin",
    summary: "Change a user's role or reset their password (scope admin)",
    description:
      `${POWERS} Resetting a password needs the powers of the user's role too, and signs that user out everywhere. ` +
      "Demoting the last admin is refused with 409 `last_admin`.",
    request: { params: userParams, body: { required: true, content: { "application/json": { schema: userPatchBody } } } },
    responses: {
      200: json(userSchema, "The updated user."),
      ...errors({
        400: "Invalid input; `field` names it.",
        404: "Unknown user (`invalid_ref`).",
        409: "Would leave no admin (`last_admin`).",
        413: "Body over 1 MB.",
      }),
    },
  });
  registry.registerPath({
    method: "delete",
    path: "/v1/users/{id}",
    operationId: "deleteUser",
    tags,
    security,
    "x-required-scope": "admin",
    summary: "Delete a user and end their sessions (scope admin)",
    description: "Deleting the last admin is refused with 409 `last_admin`. Jobs the user ran keep naming them in `triggeredBy`.",
    request: { params: userParams },
    responses: {
      204: { description: "Deleted." },
      ...errors({ 404: "Unknown user (`invalid_ref`).", 409: "Would leave no admin (`last_admin`)." }),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/users/me/password",
    operationId: "changeOwnPassword",
    tags,
    security: [{ sessionCookie: [] }],
    "x-required-scope": "sync:read",
    summary: "Change your own password (dashboard session)",
    description:
      "For a signed-in dashboard user (session cookie and `x-csrf-token` header); API keys get 403 `session_required`. " +
      "Needs the current password; every other session of the user is signed out, this one stays.",
    request: { body: { required: true, content: { "application/json": { schema: passwordChangeBody } } } },
    responses: {
      204: { description: "Changed." },
      ...errors({
        400: "Wrong current password (`invalid_credentials`, field `currentPassword`) or invalid new one.",
        413: "Body over 1 MB.",
      }),
    },
  });
}
