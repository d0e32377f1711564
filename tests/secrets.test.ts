import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { auditDiff } from "../lib/audit/diff";
import { assertAllowedTarget } from "../lib/connections/guard";
import { redact, registerSecret, scrub } from "../lib/runtime/log";
import { openConfig, rotateStoredSecrets, sealConfig, generateKey, isSealed, openValue, sealValue, urlFingerprint } from "../lib/secrets";
import { parseKey } from "../lib/secrets/keys";
import { createIntegration, createSync } from "../lib/syncs/create";
import { storedSyncConfig } from "../lib/syncs/stored-config";
import { freshDatabase } from "./helpers/fresh-db";

function setEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** Runs `fn` with these environment variables, restoring the previous values afterwards. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) setEnv(k, v);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) setEnv(k, v);
  }
}

describe("sealing credentials", () => {
  it("seals with AES-GCM under a key id and opens again; the ciphertext holds nothing readable", () => {
    const url = "postgres://reader:Pl4nted-Secret@db.internal:5432/shop";
    const sealed = sealValue(url);
    expect(sealed).toMatch(/^sealed:v1:[0-9a-f]{12}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("Pl4nted");
    expect(sealed).not.toContain("db.internal");
    expect(sealValue(url)).not.toBe(sealed); // a fresh IV every time
    expect(openValue(sealed)).toBe(url);
  });

  it("refuses an altered value and names the missing key when sealed under another one", async () => {
    const sealed = sealValue("postgres://u:p4ssword@h/db");
    const tampered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(() => openValue(tampered)).toThrow(/does not decrypt/);
    await withEnv({ ENCRYPTION_KEY: generateKey(), ENCRYPTION_KEY_PREVIOUS: undefined }, () => {
      expect(() => openValue(sealed)).toThrow(/ENCRYPTION_KEY_PREVIOUS/);
    });
  });

  it("accepts 32-byte keys in base64 or hex only, with the way to make one in the message", () => {
    expect(parseKey(generateKey()).bytes.length).toBe(32);
    expect(parseKey("ab".repeat(32)).bytes.length).toBe(32);
    expect(() => parseKey("too-short")).toThrow(/openssl rand -base64 32/);
  });

  it("seals configs idempotently and fingerprints warehouses by host, port and database only", () => {
    const dest = { type: "postgres", schema: "wh_x", url: "postgres://a:one@Warehouse:5433/dw" };
    const sealed = sealConfig(dest, { fingerprint: true }) as typeof dest & { urlFingerprint: string };
    expect(isSealed(sealed.url)).toBe(true);
    expect(JSON.stringify(sealed)).not.toMatch(/one@|Warehouse|warehouse/);
    expect(sealConfig(sealed, { fingerprint: true }).url).toBe(sealed.url);
    expect(openConfig(sealed)).toEqual(dest);
    // Another user and password on the same database is the same warehouse; another port is not.
    expect(urlFingerprint("postgres://b:two@warehouse:5433/dw")).toBe(sealed.urlFingerprint);
    expect(urlFingerprint("postgres://a:one@warehouse:5434/dw")).not.toBe(sealed.urlFingerprint);
  });
});

describe("secrets rotate", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it("re-encrypts every stored url under the new key, after which the old key is no longer needed", async () => {
    const oldKey = process.env.ENCRYPTION_KEY!;
    const url = "postgres://reader:R0tate-Me-Secret@127.0.0.1:1/elsewhere";
    const integration = await createIntegration(fresh.db, "rotation");
    const sync = await createSync(fresh.db, {
      _integrationId: integration.id,
      name: "rotation",
      source: { type: "postgres", url, tables: [{ name: "t", primaryKey: "id" }] },
      destination: { type: "postgres", schema: "wh_rot", url: "postgres://w:Wh-Secret-9@127.0.0.1:1/dw" },
    });
    const raw = async () => (await fresh.sql`select source::text as s, destination::text as d from syncs where id = ${sync.id}`)[0];
    const before = await raw();
    expect(before.s).not.toContain("R0tate-Me-Secret");
    expect(before.d).not.toContain("Wh-Secret-9");

    const newKey = generateKey();
    const first = await withEnv({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey }, () => rotateStoredSecrets(fresh.sql));
    expect(first).toMatchObject({ syncs: 1, resealed: 2, sealedPlaintext: 0 });
    const after = await raw();
    expect(after.s).not.toBe(before.s);
    expect(after.s).toContain(`sealed:v1:${parseKey(newKey).id}:`);

    await withEnv({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: undefined }, async () => {
      const stored = await storedSyncConfig(fresh.db, sync.id);
      expect(stored.source).toMatchObject({ type: "postgres", url });
      expect(stored.destination.url).toBe("postgres://w:Wh-Secret-9@127.0.0.1:1/dw");
      // A second rotation has nothing left to do.
      expect(await rotateStoredSecrets(fresh.sql)).toMatchObject({ resealed: 0, unchanged: 2 });
    });
    // The old key alone no longer opens them.
    await expect(storedSyncConfig(fresh.db, sync.id)).rejects.toThrow(/ENCRYPTION_KEY_PREVIOUS/);
  });

  it("seals urls an older version stored in the clear", async () => {
    const integration = await createIntegration(fresh.db, "legacy");
    const id = "0000000000000000000000c1";
    await fresh.sql`insert into syncs (id, integration_id, name, source, destination, tables)
      values (${id}, ${integration.id}, 'legacy', ${JSON.stringify({ type: "postgres", url: "postgres://u:Old-Plain-77@127.0.0.1:1/x", tables: [{ name: "t", primaryKey: "id" }] })}::jsonb,
              ${JSON.stringify({ type: "postgres", schema: "wh_legacy" })}::jsonb, ${["t"]})`;
    const r = await withEnv({ ENCRYPTION_KEY_PREVIOUS: undefined }, async () =>
      rotateStoredSecrets(fresh.sql, { onlyPlaintext: true }).catch((e) => e),
    );
    // The first test left another key's rows in this database: only plaintext is touched here.
    expect(r).toMatchObject({ sealedPlaintext: 1 });
    const [row] = await fresh.sql`select source::text as s from syncs where id = ${id}`;
    expect(row.s).not.toContain("Old-Plain-77");
    expect((await storedSyncConfig(fresh.db, id)).source).toMatchObject({ url: "postgres://u:Old-Plain-77@127.0.0.1:1/x" });
  });
});

describe("the redacting logger", () => {
  it("scrubs url passwords, password= pairs and registered secrets from any string, nested or in an Error", () => {
    registerSecret("postgres://svc:Regist3red-Pw@h:5432/db");
    const err = Object.assign(new Error('password authentication failed: "Regist3red-Pw"'), {
      query: "connect postgres://x:inline-pw@h/db",
      cause: new Error("dsn host=h password=hunter22 user=x"),
    });
    const out = JSON.stringify(
      scrub({ msg: "connecting to postgres://alice:al1ce-pw@db:5432/x", deep: { list: [{ s: "token=abc123def" }] }, err }),
    );
    for (const leaked of ["al1ce-pw", "Regist3red-Pw", "inline-pw", "hunter22", "abc123def"]) expect(out).not.toContain(leaked);
    expect(out).toContain("postgres://alice:***@db:5432/x");
    expect(redact("no secrets here")).toBe("no secrets here");
  });

  it("never writes a password to the real log stream, whatever key carries it", () => {
    const script = `
      const { log, registerSecret } = require("./lib/runtime/log.ts");
      registerSecret("Decrypted-Only-Pw");
      log.error("source read failed: connect postgres://u:Msg-Pw-1@10.0.0.9:5432/x", {
        detail: { reason: "auth failed for Decrypted-Only-Pw" },
        err: new Error("postgres://u:Err-Pw-2@h/db refused"),
        url: "postgres://u:Named-Pw-3@h/db",
      });`;
    const res = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      env: { ...process.env, LOG_LEVEL: "info" },
      encoding: "utf8",
    });
    expect(res.status).toBe(0);
    const line = res.stdout.trim();
    expect(line).toContain("source read failed");
    for (const leaked of ["Msg-Pw-1", "Decrypted-Only-Pw", "Err-Pw-2", "Named-Pw-3"]) expect(line).not.toContain(leaked);
  });
});

describe("the connection guard", () => {
  const own = () => new URL(inject("databaseUrl"));
  const at = (host: string, database = own().pathname.slice(1), port = own().port) => `postgres://someone:pw@${host}:${port}/${database}`;

  it("refuses the app's own database under any name for this machine, naming the field", async () => {
    await withEnv({ DATABASE_URL: inject("databaseUrl"), SOURCE_HOSTS_ALLOW: undefined }, async () => {
      for (const host of ["127.0.0.1", "localhost", "[::1]", "127.0.0.2", "[::ffff:127.0.0.1]"]) {
        await expect(assertAllowedTarget(at(host), "source.url"), host).rejects.toMatchObject({
          code: "own_database",
          details: { field: "source.url" },
        });
      }
      await expect(assertAllowedTarget(at("localhost"), "destination.url")).rejects.toThrow(
        /destination\.url: this is the app's own database/,
      );
      // Another database on the same server, or another port, is someone else's.
      await expect(assertAllowedTarget(at("localhost", "other_db"), "source.url")).resolves.toBeUndefined();
      await expect(assertAllowedTarget(at("localhost", undefined, "1"), "source.url")).resolves.toBeUndefined();
      // No way around it through query parameters or a socket path.
      await expect(assertAllowedTarget(`${at("example.com", "x")}?host=127.0.0.1`, "source.url")).rejects.toMatchObject({
        code: "invalid_parameter",
        details: { field: "source.url" },
      });
      await expect(assertAllowedTarget(`postgres://u@%2Ftmp/${own().pathname.slice(1)}`, "source.url")).rejects.toMatchObject({
        code: "invalid_parameter",
        details: { field: "source.url" },
      });
    });
  });

  it("with SOURCE_HOSTS_ALLOW, reaches only the listed hosts and networks, with one message for all others", async () => {
    await withEnv({ SOURCE_HOSTS_ALLOW: "10.0.0.0/8, db.internal" }, async () => {
      await expect(assertAllowedTarget("postgres://u:p@10.20.30.40/x", "source.url")).resolves.toBeUndefined();
      await expect(assertAllowedTarget("postgres://u:p@db.internal/x", "source.url")).resolves.toBeUndefined();
      const refused = [
        assertAllowedTarget("postgres://u:p@192.168.1.1/x", "source.url"),
        assertAllowedTarget("postgres://u:p@no-such-host.invalid/x", "source.url"),
      ];
      const [a, b] = await Promise.all(refused.map((p) => p.catch((e) => e)));
      expect(a).toMatchObject({ code: "host_not_allowed", details: { field: "source.url" } });
      expect(b.message).toBe(a.message);
    });
  });
});

describe("audit diffs", () => {
  it("record what changed but never a credential's value", () => {
    const before = { name: "a", source: { type: "postgres", url: "postgres://u:old-pw@h/db", tables: [{ name: "t" }] } };
    const after = { name: "b", source: { type: "postgres", url: "postgres://u:new-pw@h/db", tables: [{ name: "t" }, { name: "u" }] } };
    const d = auditDiff(before, after);
    expect(d).toEqual({
      name: { from: "a", to: "b" },
      "source.url": { changed: true },
      "source.tables": { from: [{ name: "t" }], to: [{ name: "t" }, { name: "u" }] },
    });
    expect(JSON.stringify(auditDiff(undefined, after))).not.toContain("new-pw");
  });
});
