import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";

const uid = () => Math.random().toString(36).slice(2, 8);
const email = (label: string) => `${label}-${uid()}@users.test`;

async function keyWith(scopes: string[]): Promise<string> {
  const res = await api("POST", "/v1/apiKeys", { body: { name: `users-${uid()}`, scopes } });
  expect(res.status, res.text).toBe(201);
  return res.body.token;
}

type Session = { cookie: string; csrf: string };

async function signIn(address: string, password: string): Promise<{ status: number; session?: Session }> {
  const res = await api("POST", "/api/auth/sign-in", { token: null, body: { email: address, password } });
  if (res.status !== 200) return { status: res.status };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  return { status: 200, session: { cookie, csrf: res.body.csrfToken } };
}

describe("scope escalation through /v1/users", () => {
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
});
