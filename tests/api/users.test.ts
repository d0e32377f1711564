import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userList, userSchema } from "../../lib/contracts/users";
import { api } from "../helpers/api";
import { testSql } from "../helpers/fixtures";

const uid = () => Math.random().toString(36).slice(2, 8);
const email = (label: string) => `${label}-${uid()}@users.test`;
const PASSWORD = "first-password-1";

async function keyWith(scopes: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api("POST", "/v1/apiKeys", { body: { name: `users-${uid()}`, scopes, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.body.token;
}

async function newUser(role: "admin" | "support", password = PASSWORD) {
  const res = await api("POST", "/v1/users", { body: { email: email(role), password, role } });
  expect(res.status, res.text).toBe(201);
  return userSchema.strict().parse(res.body);
}

type Session = { cookie: string; csrf: string };

async function signIn(address: string, password: string): Promise<{ status: number; session?: Session }> {
  const res = await api("POST", "/api/auth/sign-in", { token: null, body: { email: address, password } });
  if (res.status !== 200) return { status: res.status };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  return { status: 200, session: { cookie, csrf: res.body.csrfToken } };
}

async function signedIn(address: string, password: string): Promise<Session> {
  const r = await signIn(address, password);
  expect(r.status).toBe(200);
  return r.session!;
}

/** A call as a signed-in browser user: session cookie plus the CSRF header. */
const asUser = (s: Session, method: string, path: string, body?: unknown, csrf = s.csrf) =>
  api(method, path, { token: null, body, headers: { cookie: s.cookie, ...(csrf ? { "x-csrf-token": csrf } : {}) } });

const isSignedIn = async (s: Session) => (await asUser(s, "GET", "/api/auth/me")).status === 200;

afterAll(async () => {
  await testSql()`delete from users where email like '%@users.test'`;
});

describe("scope escalation through /v1/users and /v1/apiKeys", () => {
  it("a key holding only admin cannot create an admin user and mint itself every scope", async () => {
    const adminOnly = await keyWith(["admin"]);
    const address = email("escalate");
    const created = await api("POST", "/v1/users", {
      token: adminOnly,
      body: { email: address, password: "escalation-pw-1", role: "admin" },
    });
    expect(created.status, created.text).toBe(403);
    expect(created.body.errors[0]).toMatchObject({ code: "insufficient_scope", field: "role" });
    // Nothing was created, so the second half of the attack has nothing to sign in with.
    expect((await signIn(address, "escalation-pw-1")).status).toBe(401);
  });

  type Case = [
    label: string,
    scopes: string[],
    action: "create" | "promote" | "reset-admin" | "reset-support",
    status: number,
    field?: string,
  ];
  const cases: Case[] = [
    ["admin-only key creates a support user", ["admin"], "create", 403, "role"],
    ["admin+read key creates a support user", ["admin", "sync:read"], "create", 201],
    ["admin+read key promotes a support user to admin", ["admin", "sync:read"], "promote", 403, "role"],
    ["admin+read key resets an admin's password", ["admin", "sync:read"], "reset-admin", 403, "password"],
    ["admin+read key resets a support user's password", ["admin", "sync:read"], "reset-support", 200],
    ["full key promotes a support user to admin", ["sync:read", "sync:write", "admin"], "promote", 200],
    ["full key resets an admin's password", ["sync:read", "sync:write", "admin"], "reset-admin", 200],
  ];
  it.each(cases.map(([l, ...rest]) => [`${l} → ${rest[2]}`, ...rest] as Case))("%s", async (_label, scopes, action, status, field) => {
    const token = await keyWith(scopes);
    const res =
      action === "create"
        ? await api("POST", "/v1/users", { token, body: { email: email("made"), password: PASSWORD, role: "support" } })
        : action === "promote"
          ? await api("PATCH", `/v1/users/${(await newUser("support"))._id}`, { token, body: { role: "admin" } })
          : await api("PATCH", `/v1/users/${(await newUser(action === "reset-admin" ? "admin" : "support"))._id}`, {
              token,
              body: { password: "taken-over-pw-1" },
            });
    expect(res.status, res.text).toBe(status);
    if (status === 403) expect(res.body.errors[0]).toMatchObject({ code: "insufficient_scope", field });
  });

  it("an admin signed in to the dashboard holds every scope; a support user holds none of admin", async () => {
    const admin = await newUser("admin");
    const session = await signedIn(admin.email, PASSWORD);
    const made = await asUser(session, "POST", "/v1/users", { email: email("by-browser"), password: PASSWORD, role: "admin" });
    expect(made.status, made.text).toBe(201);
    const key = await asUser(session, "POST", "/v1/apiKeys", { name: `b-${uid()}`, scopes: ["sync:read", "sync:write", "admin"] });
    expect(key.status, key.text).toBe(201);

    const support = await newUser("support");
    const s2 = await signedIn(support.email, PASSWORD);
    const refused = await asUser(s2, "POST", "/v1/users", { email: email("nope"), password: PASSWORD, role: "support" });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].code).toBe("insufficient_scope");
  });

  it("a rate-limited key cannot mint a key with a higher limit, and its keys inherit its limit", async () => {
    const limited = await keyWith(["admin", "sync:read"], { rateLimitPerMinute: 50 });
    const higher = await api("POST", "/v1/apiKeys", {
      token: limited,
      body: { name: `k-${uid()}`, scopes: ["sync:read"], rateLimitPerMinute: 51 },
    });
    expect(higher.status).toBe(403);
    expect(higher.body.errors[0]).toMatchObject({ code: "insufficient_scope", field: "rateLimitPerMinute" });
    const inherited = await api("POST", "/v1/apiKeys", { token: limited, body: { name: `k-${uid()}`, scopes: ["sync:read"] } });
    expect(inherited.status, inherited.text).toBe(201);
    expect(inherited.body.rateLimitPerMinute).toBe(50);
  });
});

describe("a key that expires", () => {
  it("cannot mint a key that outlives it; the keys it mints expire with it unless asked sooner", async () => {
    const until = new Date(Date.now() + 3_600_000);
    const expiring = await keyWith(["admin", "sync:read"], { expiresAt: until.toISOString() });
    const forever = await api("POST", "/v1/apiKeys", { token: expiring, body: { name: `k-${uid()}`, scopes: ["sync:read"] } });
    expect(forever.status, forever.text).toBe(201);
    expect(new Date(forever.body.expiresAt).getTime()).toBe(until.getTime());
    const later = new Date(until.getTime() + 60_000).toISOString();
    const outliving = await api("POST", "/v1/apiKeys", {
      token: expiring,
      body: { name: `k-${uid()}`, scopes: ["sync:read"], expiresAt: later },
    });
    expect(outliving.status).toBe(403);
    expect(outliving.body.errors[0]).toMatchObject({ code: "insufficient_scope", field: "expiresAt" });
    const sooner = new Date(Date.now() + 60_000).toISOString();
    const ok = await api("POST", "/v1/apiKeys", {
      token: expiring,
      body: { name: `k-${uid()}`, scopes: ["sync:read"], expiresAt: sooner },
    });
    expect(ok.status, ok.text).toBe(201);
  });
});

describe("API key rate limit at creation", () => {
  it("is stored, shown, and enforced", async () => {
    const res = await api("POST", "/v1/apiKeys", { body: { name: `rl-${uid()}`, scopes: ["sync:read"], rateLimitPerMinute: 2 } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.rateLimitPerMinute).toBe(2);
    const listed = await api("GET", `/v1/apiKeys/${res.body._id}`);
    expect(listed.body.rateLimitPerMinute).toBe(2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api("GET", "/v1/integrations", { token: res.body.token })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it.each([[0], [-1], [1.5], ["10"], [10_000_001]])("rateLimitPerMinute %j is a 400 naming the field", async (value) => {
    const res = await api("POST", "/v1/apiKeys", { body: { name: `rl-${uid()}`, scopes: ["sync:read"], rateLimitPerMinute: value } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe("rateLimitPerMinute");
  });
});

describe("users API input", () => {
  it("lists users in the documented shape, never with password hashes", async () => {
    const u = await newUser("support");
    const res = await api("GET", "/v1/users?limit=200");
    expect(res.status).toBe(200);
    userList.parse(res.body);
    for (const item of res.body.data) userSchema.strict().parse(item);
    expect(res.text).not.toMatch(/\$2[aby]\$/);
    expect((await api("GET", `/v1/users/${u._id}`)).body).toEqual(u);
  });

  const bad: [string, string, string, unknown, number, string, string][] = [
    [
      "create: short password",
      "POST",
      "/v1/users",
      { email: "x@users.test", password: "short", role: "support" },
      400,
      "invalid_parameter",
      "password",
    ],
    [
      "create: 73-byte password",
      "POST",
      "/v1/users",
      { email: "x@users.test", password: "é".repeat(37), role: "support" },
      400,
      "invalid_parameter",
      "password",
    ],
    [
      "create: unknown role",
      "POST",
      "/v1/users",
      { email: "x@users.test", password: PASSWORD, role: "root" },
      400,
      "invalid_parameter",
      "role",
    ],
    ["create: bad email", "POST", "/v1/users", { email: "nope", password: PASSWORD, role: "support" }, 400, "invalid_parameter", "email"],
    ["patch: nothing to change", "PATCH", "/v1/users/{id}", {}, 400, "invalid_parameter", "role"],
    ["patch: unknown field", "PATCH", "/v1/users/{id}", { email: "a@b.co" }, 400, "invalid_parameter", "email"],
    ["patch: bad role", "PATCH", "/v1/users/{id}", { role: "owner" }, 400, "invalid_parameter", "role"],
    ["patch: short password", "PATCH", "/v1/users/{id}", { password: "x" }, 400, "invalid_parameter", "password"],
    ["patch: malformed id", "PATCH", "/v1/users/not-an-id", { role: "admin" }, 404, "invalid_ref", "id"],
    ["patch: unknown id", "PATCH", "/v1/users/0123456789abcdef01234567", { role: "admin" }, 404, "invalid_ref", "id"],
    ["delete: unknown id", "DELETE", "/v1/users/0123456789abcdef01234567", undefined, 404, "invalid_ref", "id"],
    ["get: unknown id", "GET", "/v1/users/0123456789abcdef01234567", undefined, 404, "invalid_ref", "id"],
  ];
  it.each(bad.map(([l, ...rest]) => [`${l} → ${rest[3]} ${rest[4]}`, ...rest] as (typeof bad)[number]))(
    "%s",
    async (_label, method, path, body, status, code, field) => {
      const target = path.includes("{id}") ? (await newUser("support"))._id : "";
      const res = await api(method, path.replace("{id}", target), { body });
      expect(res.status, res.text).toBe(status);
      expect(res.body.errors[0]).toMatchObject({ code, field });
    },
  );

  it("a taken email is a 409 user_exists, whatever its case", async () => {
    const u = await newUser("support");
    const dup = await api("POST", "/v1/users", { body: { email: u.email.toUpperCase(), password: PASSWORD, role: "support" } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0]).toMatchObject({ code: "user_exists", field: "email" });
  });
});

describe("passwords", () => {
  it("changing your own password needs the current one and signs out every other session of yours", async () => {
    const u = await newUser("support");
    const [s1, s2, s3] = [await signedIn(u.email, PASSWORD), await signedIn(u.email, PASSWORD), await signedIn(u.email, PASSWORD)];
    const other = await newUser("support");
    const otherSession = await signedIn(other.email, PASSWORD);

    const wrong = await asUser(s1, "POST", "/v1/users/me/password", { currentPassword: "not-it-at-all", newPassword: "second-password-2" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0]).toMatchObject({ code: "invalid_credentials", field: "currentPassword" });
    const noCsrf = await asUser(s1, "POST", "/v1/users/me/password", { currentPassword: PASSWORD, newPassword: "second-password-2" }, "");
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.errors[0].code).toBe("csrf_failed");
    const short = await asUser(s1, "POST", "/v1/users/me/password", { currentPassword: PASSWORD, newPassword: "short" });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].field).toBe("newPassword");
    expect(await isSignedIn(s2)).toBe(true);

    const changed = await asUser(s1, "POST", "/v1/users/me/password", { currentPassword: PASSWORD, newPassword: "second-password-2" });
    expect(changed.status, changed.text).toBe(204);
    expect(await isSignedIn(s1)).toBe(true);
    expect(await isSignedIn(s2)).toBe(false);
    expect(await isSignedIn(s3)).toBe(false);
    expect(await isSignedIn(otherSession)).toBe(true);
    expect((await signIn(u.email, PASSWORD)).status).toBe(401);
    expect((await signIn(u.email, "second-password-2")).status).toBe(200);
  });

  it("wrong current passwords count as failed sign-ins: past ten, even the right one is a 429", async () => {
    const u = await newUser("support");
    const session = await signedIn(u.email, PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        (await asUser(session, "POST", "/v1/users/me/password", { currentPassword: `guess-${i}-wrong`, newPassword: "second-password-2" }))
          .status,
      );
    expect(statuses).toEqual(Array(10).fill(400));
    const right = await asUser(session, "POST", "/v1/users/me/password", { currentPassword: PASSWORD, newPassword: "second-password-2" });
    expect(right.status).toBe(429);
    expect(right.body.errors[0].code).toBe("too_many_sign_in_attempts");
    expect(right.headers.get("retry-after")).toBeTruthy();
    // The guesses spent the account's sign-in budget too; nothing else of the test server's should be left counting them.
    await testSql()`delete from rate_limits where key like 'signin%'`;
  });

  it("an API key has no own password to change", async () => {
    const res = await api("POST", "/v1/users/me/password", { body: { currentPassword: "x", newPassword: "second-password-2" } });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].code).toBe("session_required");
  });

  it("an admin's reset signs the user out everywhere, and the new password works", async () => {
    const u = await newUser("support");
    const before = await signedIn(u.email, PASSWORD);
    const res = await api("PATCH", `/v1/users/${u._id}`, { body: { password: "reset-by-admin-1" } });
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain("reset-by-admin-1");
    expect(await isSignedIn(before)).toBe(false);
    expect((await signIn(u.email, PASSWORD)).status).toBe(401);
    expect((await signIn(u.email, "reset-by-admin-1")).status).toBe(200);
  });
});

describe("role changes and deletion never leave the system without an admin", () => {
  // Other test files create admins too; the invariant is global, so this block runs with only
  // its own admins and gives the others their role back afterwards.
  let parked: string[] = [];
  beforeAll(async () => {
    const rows = await testSql()<{ id: string }[]>`update users set role = 'support' where role = 'admin' returning id`;
    parked = rows.map((r) => r.id);
  });
  afterAll(async () => {
    if (parked.length) await testSql()`update users set role = 'admin' where id = any(${parked})`;
  });

  it("deleting a user ends their sessions; the last admin can be neither deleted nor demoted", async () => {
    const a = await newUser("admin");
    const s = await newUser("support");
    const session = await signedIn(s.email, PASSWORD);
    expect((await api("DELETE", `/v1/users/${s._id}`)).status).toBe(204);
    expect(await isSignedIn(session)).toBe(false);
    expect((await api("GET", `/v1/users/${s._id}`)).status).toBe(404);

    const del = await api("DELETE", `/v1/users/${a._id}`);
    expect(del.status).toBe(409);
    expect(del.body.errors[0].code).toBe("last_admin");
    const demote = await api("PATCH", `/v1/users/${a._id}`, { body: { role: "support" } });
    expect(demote.status).toBe(409);
    expect(demote.body.errors[0].code).toBe("last_admin");
    // Changing the password of the last admin is not a demotion.
    expect((await api("PATCH", `/v1/users/${a._id}`, { body: { password: "still-admin-pw-1" } })).status).toBe(200);
    await testSql()`delete from users where id = ${a._id} or id = ${s._id}`;
  });

  it("of two concurrent demotions (or deletions) of the last two admins exactly one wins", async () => {
    for (const [first, second] of [
      ["demote", "demote"],
      ["delete", "demote"],
      ["delete", "delete"],
    ] as const) {
      const [a, b] = [await newUser("admin"), await newUser("admin")];
      const act = (kind: "demote" | "delete", id: string) =>
        kind === "demote" ? api("PATCH", `/v1/users/${id}`, { body: { role: "support" } }) : api("DELETE", `/v1/users/${id}`);
      const results = await Promise.all([act(first, a._id), act(second, b._id)]);
      const statuses = results.map((r) => r.status);
      const why = `${first} + ${second}: ${statuses.join(", ")} ${results.map((r) => r.text).join(" | ")}`;
      expect(
        statuses.filter((s) => s === 409),
        why,
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s === 200 || s === 204),
        why,
      ).toHaveLength(1);
      expect(results.find((r) => r.status === 409)!.body.errors[0].code).toBe("last_admin");
      const [{ n }] = await testSql()<{ n: number }[]>`select count(*)::int as n from users where role = 'admin'`;
      expect(n).toBe(1);
      await testSql()`delete from users where id = ${a._id} or id = ${b._id}`;
    }
  });
});
