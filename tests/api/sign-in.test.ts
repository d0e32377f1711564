import { randomBytes } from "node:crypto";
import bcryptjs from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { newId } from "../../lib/ids";
import { api } from "../helpers/api";
import { testDb, testSql } from "../helpers/fixtures";

/**
 * Sign-in over HTTP: throttled per email and per client address (shared through Postgres), exact
 * JSON media type, bcrypt's 72-byte limit, and sign-out on the same wrapper.
 *
 * Each test picks its own X-Forwarded-For address: the server counts per the last entry, so the
 * address budget of one test never spills into another test file's sign-ins.
 */
const uid = () => randomBytes(4).toString("hex");
const PASSWORD = "correct-horse-battery";
const addresses: string[] = [];
const address = () => {
  const a = `198.51.100.${addresses.length + 10}`;
  addresses.push(a);
  return a;
};

async function newUser(password = PASSWORD, role: "admin" | "support" = "support") {
  const email = `si-${uid()}@example.com`;
  const res = await api("POST", "/v1/users", { body: { email, password, role } });
  expect(res.status, res.text).toBe(201);
  return email;
}

const signIn = (email: string, password: string, from: string, headers: Record<string, string> = {}) =>
  api("POST", "/api/auth/sign-in", { token: null, body: { email, password }, headers: { "x-forwarded-for": from, ...headers } });

afterAll(async () => {
  const sql = testSql();
  await sql`delete from rate_limits where key like 'signin%'`;
});

describe("sign-in throttling", () => {
  it("after 10 failures for an email, even the right password gets 429 with Retry-After", async () => {
    const email = await newUser();
    const from = address();
    for (let i = 0; i < 10; i++) {
      const res = await signIn(email, `wrong-${i}`, from);
      expect(res.status, res.text).toBe(401);
      expect(res.body.errors[0].code).toBe("invalid_credentials");
    }
    // From another address too: the lock is on the account, not only on the caller.
    for (const f of [from, address()]) {
      const locked = await signIn(email, PASSWORD, f);
      expect(locked.status, locked.text).toBe(429);
      expect(locked.body.errors[0].code).toBe("too_many_sign_in_attempts");
      const retryAfter = Number(locked.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(locked.headers.get("set-cookie")).toBeNull();
    }
    // Another account is not affected.
    const other = await newUser();
    expect((await signIn(other, PASSWORD, address())).status).toBe(200);
  });

  it("30 parallel wrong guesses cannot all be tried: at most 10 reach the password check", async () => {
    const email = await newUser();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(email, `guess-${i}`, address())));
    const statuses = results.map((r) => r.status);
    const seen = JSON.stringify(results.map((r) => `${r.status} ${r.text.slice(0, 80)}`));
    // Exactly 10 on a quiet machine; on a loaded one a request may instead get a 503 from the
    // database pool. Either way no more than 10 guesses are checked and the rest are refused.
    expect(statuses.filter((s) => s === 401).length, seen).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length, seen).toBeGreaterThanOrEqual(20);
    expect(
      statuses.every((s) => s === 401 || s === 429 || s === 503),
      seen,
    ).toBe(true);
  });

  it("a success clears the email's failures", async () => {
    const email = await newUser();
    const from = address();
    for (let i = 0; i < 9; i++) expect((await signIn(email, "nope-nope", from)).status).toBe(401);
    expect((await signIn(email, PASSWORD, from)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await signIn(email, "nope-nope", from)).status).toBe(401);
    expect((await signIn(email, PASSWORD, from)).status).toBe(200);
  });

  it("one address spraying many emails is stopped after 30 failures", { timeout: 180_000 }, async () => {
    const from = address();
    const victim = await newUser();
    for (let i = 0; i < 30; i += 5) {
      const batch = await Promise.all([0, 1, 2, 3, 4].map((j) => signIn(`nobody-${i + j}-${uid()}@example.com`, "guess-guess", from)));
      expect(batch.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    }
    const res = await signIn(victim, PASSWORD, from);
    expect(res.status, res.text).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // The same account from elsewhere still works.
    expect((await signIn(victim, PASSWORD, address())).status).toBe(200);
  });

  it("the counts live in Postgres, where every web instance sees them", async () => {
    const email = await newUser();
    await signIn(email, "wrong-wrong", address());
    const rows = await testSql()`select points from rate_limits where key = ${`signin_email:${email}`}`;
    expect(rows).toEqual([{ points: 1 }]);
  });
});

describe("passwords", () => {
  it("a password over 72 bytes is refused on create, not silently truncated", async () => {
    const ascii73 = "a".repeat(73);
    const accents = "é".repeat(37); // 37 characters, 74 bytes
    for (const password of [ascii73, accents]) {
      const res = await api("POST", "/v1/users", { body: { email: `long-${uid()}@example.com`, password, role: "support" } });
      expect(res.status, res.text).toBe(400);
      expect(res.body.errors[0].field).toBe("password");
    }
    // Exactly 72 bytes is fine. (Sign-in compares as bcrypt always has, so accounts whose longer
    // password was cut before this limit existed still sign in.)
    const p72 = "b".repeat(72);
    const email = await newUser(p72);
    expect((await signIn(email, p72, address())).status).toBe(200);
    expect((await signIn(email, `${p72.slice(1)}c`, address())).status).toBe(401);
  });

  it("a hash written by the old bcryptjs still verifies", async () => {
    const email = `legacy-${uid()}@example.com`;
    await testDb()
      .insert(users)
      .values({ id: newId(), email, passwordHash: bcryptjs.hashSync(PASSWORD, 10), role: "support" });
    expect((await signIn(email, PASSWORD, address())).status).toBe(200);
    expect((await signIn(email, "not-it-at-all", address())).status).toBe(401);
  });
});

describe("content type", () => {
  it.each([
    ["text/plain; application/json"],
    ["text/plain"],
    ["application/x-www-form-urlencoded"],
    ["multipart/form-data; boundary=x"],
    ["application/jsonp"],
    ["application/json, text/plain"],
    ["application/json; charset=latin1"],
  ])("sign-in with %s is 415", async (type) => {
    const email = await newUser();
    const res = await api("POST", "/api/auth/sign-in", {
      token: null,
      rawBody: JSON.stringify({ email, password: PASSWORD }),
      headers: { "content-type": type, "x-forwarded-for": address() },
    });
    expect(res.status, res.text).toBe(415);
    expect(res.body.errors[0].code).toBe("unsupported_media_type");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("sign-in without a content type is 415; exact JSON (any case, utf-8 charset) is accepted", async () => {
    const email = await newUser();
    const bare = await api("POST", "/api/auth/sign-in", { token: null, rawBody: JSON.stringify({ email, password: PASSWORD }) });
    expect(bare.status).toBe(415);
    for (const type of ["application/json", "Application/JSON; charset=UTF-8", 'application/json;charset="utf-8"']) {
      const res = await signIn(email, PASSWORD, address(), { "content-type": type });
      expect(res.status, `${type}: ${res.text}`).toBe(200);
    }
  });

  it.each([
    ["POST", "/v1/integrations"],
    ["POST", "/v1/syncs"],
    ["POST", "/v1/apiKeys"],
    ["POST", "/v1/users"],
  ])("%s %s with a text/plain body is 415", async (method, path) => {
    const res = await api(method, path, { rawBody: '{"name":"x"}', headers: { "content-type": "text/plain; application/json" } });
    expect(res.status, res.text).toBe(415);
    expect(res.body.errors[0].code).toBe("unsupported_media_type");
  });

  it("a bodiless write needs no content type", async () => {
    const res = await api("PUT", "/v1/syncJobs/0123456789abcdef01234567/cancel");
    expect(res.status, res.text).toBe(404);
  });
});

describe("sign-out", () => {
  it("keeps its behaviour on the shared wrapper: CSRF for a live session, 204 and a cleared cookie", async () => {
    const email = await newUser();
    const signedIn = await signIn(email, PASSWORD, address());
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0];
    const csrf = signedIn.body.csrfToken;

    const forged = await api("POST", "/api/auth/sign-out", { token: null, headers: { cookie } });
    expect(forged.status, forged.text).toBe(403);
    expect(forged.body.errors[0].code).toBe("csrf_failed");
    expect((await api("GET", "/api/auth/me", { token: null, headers: { cookie } })).status).toBe(200);

    const out = await api("POST", "/api/auth/sign-out", { token: null, headers: { cookie, "x-csrf-token": csrf } });
    expect(out.status, out.text).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/sc_session=;/);
    expect((await api("GET", "/api/auth/me", { token: null, headers: { cookie } })).status).toBe(401);
    // A dead or absent cookie still gets a 204 (nothing to protect).
    expect((await api("POST", "/api/auth/sign-out", { token: null, headers: { cookie } })).status).toBe(204);
    expect((await api("POST", "/api/auth/sign-out", { token: null })).status).toBe(204);
  });
});
