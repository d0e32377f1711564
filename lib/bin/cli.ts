/**
 * Operator CLI: `npm run cli -- <resource> <action> [--flag value]`.
 * Uses DATABASE_URL, or the same embedded Postgres as `npm start` when it is unset.
 * Results are printed only after the database is closed, so that the last line of stdout
 * is the result (for `api-key create`, the token) whatever the database logs while stopping.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { desc } from "drizzle-orm";
import { closeDb, getDb, getSql } from "@/db/client";
import { users } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { SCOPES } from "@/lib/contracts/scopes";
import { createUser, findUserIdByEmail, updateUser } from "@/lib/auth/users";
import { apiKeyCreateBody } from "@/lib/contracts/management";
import { newPassword, ROLES } from "@/lib/contracts/users";
import { ensureDatabase, replaceKeyFile } from "@/lib/bootstrap/database";
import { rotateStoredSecrets } from "@/lib/secrets";

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  api-key create --name NAME --scopes SCOPES   Create an API key; prints its token as the last line.
                 [--expires-at ISO-8601]       SCOPES is a comma list of: ${SCOPES.join(", ")}
                 [--rate-limit N]              Requests per minute for this key (default: RATE_LIMIT_PER_MINUTE)
  api-key list                                 List API keys (never their tokens)
  api-key revoke --id ID                       Revoke an API key at once
  user create --email EMAIL --role admin|support (--password P | --password-stdin)
                                               Create a dashboard user
  user list                                    List dashboard users
  user set-password --email EMAIL (--password P | --password-stdin)
                                               Set a user's password and sign them out everywhere
  user set-role --email EMAIL --role admin|support
                                               Change a user's role (never demotes the last admin)
  secrets rotate                               Re-encrypt every stored source/warehouse credential with
                                               ENCRYPTION_KEY (old values open with ENCRYPTION_KEY_PREVIOUS);
                                               on the embedded default, makes a new key in .data first

Environment: DATABASE_URL (unset: the embedded Postgres in .data/pg, as npm start uses),
ENCRYPTION_KEY (required with DATABASE_URL), ENCRYPTION_KEY_PREVIOUS (comma list, for rotation).`;

class UsageError extends Error {}

type Flags = Record<string, string | boolean | undefined>;
/** `prepare` validates the flags before any database work, then returns the work itself. */
type Command = { flags: string[]; prepare: (f: Flags) => Promise<() => Promise<string[]>> };

const str = (f: Flags, name: string): string => {
  const v = f[name];
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${name} is required`);
  return v;
};

/** zod failures are the user's input, so they are usage errors naming the flag. */
function check<T extends z.ZodType>(schema: T, value: unknown, flag: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`--${flag}: ${r.error.issues[0].message}`);
  return r.data;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** `--password P` or `--password-stdin` (which keeps it out of the shell history), checked like the API checks it. */
async function passwordFrom(f: Flags): Promise<string> {
  if (f["password-stdin"] && f.password !== undefined) throw new UsageError("use --password or --password-stdin, not both");
  const password = f["password-stdin"] ? await readStdin() : str(f, "password");
  return check(newPassword, password, "password");
}

const pad = (rows: string[][]): string[] => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );
};

const COMMANDS: Record<string, Command> = {
  "api-key create": {
    flags: ["name", "scopes", "expires-at", "rate-limit"],
    prepare: async (f) => {
      const name = check(z.string().trim().min(1).max(100), str(f, "name"), "name");
      const scopes = check(
        z.array(z.enum(SCOPES, { error: `scopes are ${SCOPES.join(", ")}` })).min(1),
        str(f, "scopes")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        "scopes",
      );
      const expiresAt = f["expires-at"] === undefined ? undefined : check(z.iso.datetime({ offset: true }), f["expires-at"], "expires-at");
      const rateLimitPerMinute =
        f["rate-limit"] === undefined
          ? undefined
          : check(apiKeyCreateBody.shape.rateLimitPerMinute.unwrap(), Number(f["rate-limit"]), "rate-limit");
      return async () => {
        const { key, token } = await createApiKey(getDb(), { name, scopes, expiresAt, rateLimitPerMinute });
        const limit = key.rateLimitPerMinute ? `, ${key.rateLimitPerMinute} requests/minute` : "";
        return [
          `Created API key "${key.name}" (id ${key._id}, scopes ${key.scopes.join(",")}${limit}). Store the token now; it is not shown again:`,
          token,
        ];
      };
    },
  },
  "api-key list": {
    flags: [],
    prepare: async () => async () => {
      const { data } = await listApiKeys(getDb(), { limit: 1000, offset: 0 });
      if (!data.length) return ["No API keys."];
      return pad([
        ["ID", "NAME", "PREFIX", "SCOPES", "RATE/MIN", "CREATED", "LAST USED", "STATUS"],
        ...data.map((k) => [
          k._id,
          k.name,
          `${k.prefix}…`,
          k.scopes.join(","),
          k.rateLimitPerMinute ? String(k.rateLimitPerMinute) : "default",
          k.createdAt,
          k.lastUsedAt ?? "never",
          k.revokedAt ? `revoked ${k.revokedAt}` : k.expiresAt && k.expiresAt < new Date().toISOString() ? "expired" : "active",
        ]),
      ]);
    },
  },
  "api-key revoke": {
    flags: ["id"],
    prepare: async (f) => {
      const id = str(f, "id");
      return async () => {
        await revokeApiKey(getDb(), id);
        return [`Revoked API key ${id}.`];
      };
    },
  },
  "user create": {
    flags: ["email", "password", "password-stdin", "role"],
    prepare: async (f) => {
      const email = check(z.email(), str(f, "email").trim(), "email");
      const role = check(z.enum(["admin", "support"], { error: "role is admin or support" }), str(f, "role"), "role");
      const password = await passwordFrom(f);
      return async () => {
        const user = await createUser(getDb(), { email, password, role });
        return [`Created ${user.role} user ${user.email} (id ${user.id}).`];
      };
    },
  },
  "user set-password": {
    flags: ["email", "password", "password-stdin"],
    prepare: async (f) => {
      const email = check(z.email(), str(f, "email").trim(), "email");
      const password = await passwordFrom(f);
      return async () => {
        const db = getDb();
        const user = await updateUser(db, await findUserIdByEmail(db, email), { password });
        return [`Set the password of ${user.email}; their sessions are signed out.`];
      };
    },
  },
  "user set-role": {
    flags: ["email", "role"],
    prepare: async (f) => {
      const email = check(z.email(), str(f, "email").trim(), "email");
      const role = check(z.enum(ROLES, { error: "role is admin or support" }), str(f, "role"), "role");
      return async () => {
        const db = getDb();
        const user = await updateUser(db, await findUserIdByEmail(db, email), { role });
        return [`${user.email} is now ${user.role}.`];
      };
    },
  },
  "secrets rotate": {
    flags: [],
    prepare: async () => async () => {
      const madeNewKey = replaceKeyFile();
      const r = await rotateStoredSecrets(getSql());
      return [
        `Re-encrypted ${r.resealed} credential(s) and sealed ${r.sealedPlaintext} stored in the clear, across ${r.syncs} sync(s); ${r.unchanged} already used key ${r.keyId}.`,
        madeNewKey
          ? "A new key is in .data/encryption.key (the old one in encryption.key.previous): restart npm start so it uses it."
          : "Every process can now drop ENCRYPTION_KEY_PREVIOUS once it runs with this ENCRYPTION_KEY.",
      ];
    },
  },
  "user list": {
    flags: [],
    prepare: async () => async () => {
      const rows = await getDb()
        .select({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt })
        .from(users)
        .orderBy(desc(users.createdAt));
      if (!rows.length) return ["No users."];
      return pad([["ID", "EMAIL", "ROLE", "CREATED"], ...rows.map((u) => [u.id, u.email, u.role, u.createdAt.toISOString()])]);
    },
  },
};

async function parse(argv: string[]): Promise<() => Promise<string[]>> {
  const [resource, action, ...rest] = argv;
  if (resource === "help" || resource === "--help" || resource === "-h") throw new UsageError("");
  if (!resource) throw new UsageError("missing command");
  const command = COMMANDS[`${resource} ${action ?? ""}`];
  if (!command) throw new UsageError(`Unknown command: ${[resource, action].filter(Boolean).join(" ")}`);
  let flags: Flags;
  const options = Object.fromEntries(
    command.flags.map((f) => [f, { type: f === "password-stdin" ? ("boolean" as const) : ("string" as const) }]),
  );
  try {
    const { values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false });
    flags = values as Flags;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return command.prepare(flags);
}

async function main(): Promise<number> {
  let work: () => Promise<string[]>;
  try {
    work = await parse(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message ? `error: ${e.message}\n\n` : ""}${USAGE}\n`);
    return e.message ? 2 : 0;
  }
  const database = await ensureDatabase();
  let lines: string[] = [];
  let failure: unknown;
  try {
    lines = await work();
  } catch (e) {
    failure = e;
  } finally {
    await closeDb();
    await database.stop();
  }
  if (failure) {
    const msg = failure instanceof DomainError ? failure.message : String((failure as Error)?.message ?? failure);
    process.stderr.write(`error: ${msg}\n`);
    return 1;
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`error: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  },
);
