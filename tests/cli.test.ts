import { spawn } from "node:child_process";
import { afterAll, describe, expect, inject, it } from "vitest";
import { api } from "./helpers/api";
import { testSql } from "./helpers/fixtures";

type Result = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI as an operator would (`npm run cli -- …` is `tsx lib/bin/cli.ts …`). */
function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/bin/cli.ts", ...args], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl"), ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? "");
  });
}

const lastLine = (s: string) => s.trimEnd().split("\n").at(-1) ?? "";
const uid = () => Math.random().toString(36).slice(2, 8);

// Each case spawns the CLI (a tsx start-up of a few seconds) and uses its own names: they run side by side.
describe.concurrent("npm run cli", () => {
  afterAll(async () => {
    await testSql()`delete from users where email like 'ops-%@example.com'`;
  });

  it("api-key create prints a usable token as the last line of stdout; revoke stops it", async () => {
    const name = `cli-${uid()}`;
    const created = await cli(["api-key", "create", "--name", name, "--scopes", "sync:read,sync:write"]);
    expect(created.code, created.stderr).toBe(0);
    const token = lastLine(created.stdout);
    expect(token).toMatch(/^sc_[A-Za-z0-9_-]{43}$/);

    expect((await api("GET", "/v1/syncs", { token })).status).toBe(200);
    const denied = await api("POST", "/v1/integrations", { token, body: { name: "x" } });
    expect(denied.status).toBe(403);

    const list = await cli(["api-key", "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(name);
    expect(list.stdout).not.toContain(token);
    const id = list.stdout
      .split("\n")
      .find((l) => l.includes(name))
      ?.split(/\s+/)[0];
    expect(id).toMatch(/^[0-9a-f]{24}$/);

    const revoked = await cli(["api-key", "revoke", "--id", id!]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await api("GET", "/v1/syncs", { token });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ message: "Bearer Authentication Failed" });
  });

  it("user create makes a user that user list shows; a duplicate fails with exit 1", async () => {
    const email = `ops-${uid()}@example.com`;
    const made = await cli(["user", "create", "--email", email, "--role", "support", "--password-stdin"], {
      stdin: "correct horse battery\n",
    });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).not.toContain("correct horse");
    const list = await cli(["user", "list"]);
    expect(list.stdout).toMatch(new RegExp(`${email.replace(/[.]/g, "\\.")}\\s+support`));
    const dup = await cli(["user", "create", "--email", email.toUpperCase(), "--role", "admin", "--password", "another-password"]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already exists");
  });

  it("api-key create --rate-limit stores the limit, and the key is held to it", async () => {
    const name = `cli-rl-${uid()}`;
    const created = await cli(["api-key", "create", "--name", name, "--scopes", "sync:read", "--rate-limit", "2"]);
    expect(created.code, created.stderr).toBe(0);
    const token = lastLine(created.stdout);
    expect(token).toMatch(/^sc_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toContain("2 requests/minute");
    const first = await api("GET", "/v1/syncs", { token });
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    const list = await cli(["api-key", "list"]);
    expect(list.stdout.split("\n").find((l) => l.includes(name))).toMatch(/\s2\s/);
  });

  it("user set-password replaces the password and signs the user out; set-role changes the role", async () => {
    const email = `ops-${uid()}@example.com`;
    expect((await cli(["user", "create", "--email", email, "--role", "support", "--password", "first-password-1"])).code).toBe(0);
    const signIn = (password: string) => api("POST", "/api/auth/sign-in", { token: null, body: { email, password } });
    const before = await signIn("first-password-1");
    expect(before.status).toBe(200);
    const cookie = (before.headers.get("set-cookie") ?? "").split(";")[0];

    const set = await cli(["user", "set-password", "--email", email.toUpperCase(), "--password-stdin"], { stdin: "second-password-2\n" });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).not.toContain("second-password-2");
    expect((await api("GET", "/api/auth/me", { token: null, headers: { cookie } })).status).toBe(401);
    expect((await signIn("first-password-1")).status).toBe(401);
    expect((await signIn("second-password-2")).status).toBe(200);

    const promoted = await cli(["user", "set-role", "--email", email, "--role", "admin"]);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect((await cli(["user", "list"])).stdout).toMatch(new RegExp(`${email.replace(/[.]/g, "\\.")}\\s+admin`));

    const unknown = await cli(["user", "set-role", "--email", `nobody-${uid()}@example.com`, "--role", "admin"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No user with email");
  }, 180_000); // six CLI runs, each a process with its own database connection

  it.each([
    [["api-key", "create", "--name", "x", "--scopes", "sync:read", "--rate-limit", "0"]],
    [["api-key", "create", "--name", "x", "--scopes", "sync:read", "--rate-limit", "lots"]],
    [["user", "set-password", "--email", "a@b.co", "--password", "short"]],
    [["user", "set-password", "--password", "long-enough-1"]],
    [["user", "set-role", "--email", "a@b.co", "--role", "owner"]],
    [[]],
    [["frobnicate"]],
    [["api-key", "create", "--scopes", "admin"]],
    [["api-key", "create", "--name", "x", "--scopes", "admin,root"]],
    [["api-key", "create", "--name", "x", "--scopes", "admin", "--colour", "red"]],
    [["user", "create", "--email", "not-an-email", "--password", "long-enough-1", "--role", "admin"]],
    [["user", "create", "--email", "a@b.co", "--password", "long-enough-1", "--role", "root"]],
    [["api-key", "revoke"]],
  ])("bad usage %j exits 2 with a message on stderr", async (args) => {
    // A database that does not exist: bad usage must be caught before any connection is attempted.
    const res = await cli(args, { env: { DATABASE_URL: "postgres://nobody:nothing@127.0.0.1:1/none" } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error: .+/);
    expect(res.stderr).toContain("Usage:");
    expect(res.stdout).toBe("");
  });
});
