import { randomBytes } from "node:crypto";
import net from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectionTestResult, discoveryResult } from "../../lib/contracts/connections";
import { freePort } from "../../lib/runtime/embedded-postgres";
import { api } from "../helpers/api";

/**
 * The connection tester and discovery over HTTP, against a real second database created on the
 * test server (and a login role with rights to only part of it).
 */
const uid = () => randomBytes(4).toString("hex");
const DB = `src_${uid()}`;
const READER = `reader_${uid()}`;
const READER_PW = `pw_${uid()}_reader`;
const WRONG_PW = `wrong_${uid()}_never_echoed`;

let admin: postgres.Sql;
let source: postgres.Sql;
let server: URL;

const urlFor = (opts: { user?: string; password?: string; database?: string; port?: number } = {}) => {
  const u = new URL(server);
  if (opts.user) u.username = opts.user;
  if (opts.password) u.password = opts.password;
  if (opts.port) u.port = String(opts.port);
  u.pathname = `/${opts.database ?? DB}`;
  return u.toString();
};

beforeAll(async () => {
  server = new URL(inject("databaseUrl"));
  admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${DB}`);
  source = postgres(urlFor(), { max: 2, onnotice: () => {} });
  await source.unsafe(`
    create table customers (id bigint primary key, email text not null, created_at timestamptz not null default now(), updated_at timestamptz not null default now());
    insert into customers (id, email) select g, 'c' || g || '@example.com' from generate_series(1, 250) g;
    create table order_items (order_id int, line int, sku text, modified_at timestamp, primary key (order_id, line));
    create table audit_log (id int not null unique, message text);
    create schema billing;
    create table billing.invoices (id int primary key, total numeric(12,2));
    create schema "Sales";
    create table "Sales"."Order Items" ("OrderId" int primary key, "updatedAt" timestamptz not null, "Note" text);
    create table "Sales"._sync_console_state (id int primary key);
    create view "Sales"."Big Orders" as select "OrderId", "updatedAt" from "Sales"."Order Items";
    create role ${READER} login password '${READER_PW}';
    grant select on customers to ${READER};
  `);
});

afterAll(async () => {
  await source?.end({ timeout: 5 });
  await admin?.unsafe(`drop database if exists ${DB} with (force)`);
  await admin?.unsafe(`drop role if exists ${READER}`);
  await admin?.end({ timeout: 5 });
});

const test = (body: Record<string, unknown>, token?: string) => api("POST", "/v1/connections/test", { body, ...(token ? { token } : {}) });
const checksOf = (body: any) =>
  Object.fromEntries((body.checks as { name: string; ok: boolean; message: string }[]).map((c) => [c.name, c]));

describe("POST /v1/connections/test", () => {
  it("passes every check for a reachable source the user can read", async () => {
    const res = await test({ type: "postgres", url: urlFor() });
    expect(res.status, res.text).toBe(200);
    const body = connectionTestResult.strict().parse(res.body);
    expect(body.ok).toBe(true);
    expect(body.checks.map((c) => [c.name, c.ok])).toEqual([
      ["reachable", true],
      ["credentials", true],
      ["database", true],
      ["rights", true],
    ]);
    expect(checksOf(body).rights.message).toBe("User postgres can read all 3 tables in schema public.");
  });

  it("says plainly that the password was refused, without echoing it or the url", async () => {
    const url = urlFor({ password: WRONG_PW });
    const res = await test({ type: "postgres", url });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    const c = checksOf(res.body);
    expect(c.reachable.ok).toBe(true);
    expect(c.credentials).toMatchObject({ ok: false, message: "The password for user postgres was refused." });
    expect(c.database).toMatchObject({ ok: false, skipped: true });
    expect(res.text).not.toContain(WRONG_PW);
    expect(res.text).not.toContain("postgres://");
  });

  it("says nothing answers on a closed port, within the connect timeout", async () => {
    const port = await freePort();
    const started = Date.now();
    const res = await test({ type: "postgres", url: urlFor({ port }) });
    expect(Date.now() - started).toBeLessThan(6_000);
    const c = checksOf(res.body);
    expect(c.reachable).toMatchObject({ ok: false, message: expect.stringContaining(`Nothing answers on 127.0.0.1:${port}`) });
    expect(res.body.checks.slice(1).every((x: { skipped?: boolean }) => x.skipped)).toBe(true);
  });

  it("gives up, in plain words, on something that accepts connections and drops them at once (no endless retries)", async () => {
    // It hangs up once the client speaks (as some proxies and firewalls do); the driver would retry that forever.
    const dropper = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.on("data", () => socket.destroy());
    });
    await new Promise<void>((r) => dropper.listen(0, "127.0.0.1", () => r()));
    try {
      const { port } = dropper.address() as net.AddressInfo;
      const started = Date.now();
      const res = await test({ type: "postgres", url: urlFor({ port }) });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(res.status, res.text).toBe(200);
      const c = checksOf(res.body);
      expect(c.reachable.ok).toBe(true);
      expect(c.credentials).toMatchObject({
        ok: false,
        message: expect.stringMatching(/could not be reached|closed the connection|no answer/i),
      });
    } finally {
      dropper.close();
    }
  });

  it("names a database that does not exist", async () => {
    const res = await test({ type: "postgres", url: urlFor({ database: `nope_${uid()}` }) });
    const c = checksOf(res.body);
    expect(c.credentials.ok).toBe(true);
    expect(c.database).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Database nope_\w+ does not exist on 127\.0\.0\.1:\d+\.$/),
    });
  });

  it("lists the tables a user cannot read", async () => {
    const res = await test({ type: "postgres", url: urlFor({ user: READER, password: READER_PW }) });
    const c = checksOf(res.body);
    expect(c.credentials).toMatchObject({ ok: true, message: `Signed in as ${READER}.` });
    expect(c.rights).toMatchObject({
      ok: false,
      message: `User ${READER} cannot read 2 of 3 tables in schema public: audit_log, order_items.`,
    });
    const missing = await test({ type: "postgres", url: urlFor(), schema: "nowhere" });
    expect(checksOf(missing.body).rights.message).toBe(`Schema nowhere does not exist in database ${DB}.`);
  });

  it("checks wal_level and the REPLICATION attribute when logical replication is chosen", async () => {
    const [{ wal_level }] = await admin<{ wal_level: string }[]>`select current_setting('wal_level') as wal_level`;
    const res = await test({ type: "postgres", url: urlFor(), replication: "logical" });
    const c = checksOf(res.body);
    expect(c.wal_level.ok).toBe(wal_level === "logical");
    if (wal_level !== "logical")
      expect(c.wal_level.message).toContain(`wal_level is ${wal_level}; logical replication needs wal_level = logical`);
    expect(c.replication_role.ok).toBe(true); // postgres is a superuser
    const reader = await test({ type: "postgres", url: urlFor({ user: READER, password: READER_PW }), replication: "logical" });
    expect(checksOf(reader.body).replication_role).toMatchObject({
      ok: false,
      message: expect.stringContaining(`User ${READER} lacks the REPLICATION attribute`),
    });
  });

  it("tries a warehouse's rights in a transaction that leaves nothing behind", async () => {
    const schema = `wh_check_${uid()}`;
    const res = await test({ type: "postgres", url: urlFor(), target: "destination", schema });
    expect(checksOf(res.body).rights).toMatchObject({ ok: true, message: `User postgres can create schema ${schema} and tables in it.` });
    const [{ n }] = await source<{ n: number }[]>`select count(*)::int as n from pg_namespace where nspname = ${schema}`;
    expect(n).toBe(0);
    const reader = await test({ type: "postgres", url: urlFor({ user: READER, password: READER_PW }), target: "destination", schema });
    expect(checksOf(reader.body).rights).toMatchObject({
      ok: false,
      message: `User ${READER} may not create schema ${schema} in database ${DB} (it needs CREATE on the database).`,
    });
  });

  it.each([
    ["not a url", { type: "postgres", url: "not a url" }, "url"],
    ["another scheme", { type: "postgres", url: "mysql://u:p@127.0.0.1/db" }, "url"],
    ["neither url nor sync", { type: "postgres" }, "url"],
    ["unknown key", { type: "postgres", url: "postgres://u@h/db", password: "x" }, "password"],
    ["bad target", { type: "postgres", url: "postgres://u@h/db", target: "both" }, "target"],
    ["a schema name longer than Postgres allows", { type: "postgres", url: "postgres://u@h/db", schema: "s".repeat(64) }, "schema"],
  ])("answers 400 naming the field for %s", async (_what, body, field) => {
    const res = await test(body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors[0].field).toBe(field);
    expect(res.text).not.toContain("u:p@");
  });

  it("needs the admin scope", async () => {
    const key = await api("POST", "/v1/apiKeys", { body: { name: `read-${uid()}`, scopes: ["sync:read"] } });
    expect(key.status, key.text).toBe(201);
    for (const path of ["/v1/connections/test", "/v1/sources/discover"]) {
      const res = await api("POST", path, { token: key.body.token, body: { type: "postgres", url: urlFor() } });
      expect(res.status).toBe(403);
      expect(res.body.errors[0].code).toBe("insufficient_scope");
    }
    expect((await api("POST", "/v1/connections/test", { token: null, body: { url: urlFor() } })).status).toBe(401);
  });
});

describe("POST /v1/sources/discover", () => {
  it("lists schemas and tables with columns, keys, a suggested cursor column and row estimates", async () => {
    const res = await api("POST", "/v1/sources/discover", { body: { type: "postgres", url: urlFor() } });
    expect(res.status, res.text).toBe(200);
    const body = discoveryResult.strict().parse(res.body);
    expect(body.schemas[0]).toBe("public");
    expect(body.schemas).toContain("billing");
    expect(body.schema).toBe("public");
    const byName = Object.fromEntries(body.tables.map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(["audit_log", "customers", "order_items"]);
    expect(byName.customers).toEqual({
      name: "customers",
      columns: [
        { name: "id", type: "bigint", nullable: false },
        { name: "email", type: "text", nullable: false },
        { name: "created_at", type: "timestamp with time zone", nullable: false },
        { name: "updated_at", type: "timestamp with time zone", nullable: false },
      ],
      primaryKey: "id",
      primaryKeyColumns: ["id"],
      suggestedCursorColumn: "updated_at",
      estimatedRows: 250,
      kind: "table",
    });
    // A composite key is offered whole; without a primary key, a unique not-null column can key a sync.
    expect(byName.order_items).toMatchObject({
      primaryKey: ["order_id", "line"],
      primaryKeyColumns: ["order_id", "line"],
      suggestedCursorColumn: "modified_at",
    });
    expect(byName.audit_log).toMatchObject({ primaryKey: "id", primaryKeyColumns: [], suggestedCursorColumn: null, estimatedRows: 0 });

    const billing = await api("POST", "/v1/sources/discover", { body: { type: "postgres", url: urlFor(), schema: "billing" } });
    expect(billing.body.tables.map((t: { name: string }) => t.name)).toEqual(["invoices"]);
    const missing = await api("POST", "/v1/sources/discover", { body: { type: "postgres", url: urlFor(), schema: "nowhere" } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ code: "schema_not_found", field: "schema" });
  });

  it("marks the tables the source user may not read, saying what to grant", async () => {
    const res = await api("POST", "/v1/sources/discover", {
      body: { type: "postgres", url: urlFor({ user: READER, password: READER_PW }) },
    });
    expect(res.status, res.text).toBe(200);
    const byName = Object.fromEntries((res.body.tables as { name: string; unsupportedReason?: string }[]).map((t) => [t.name, t]));
    expect(byName.customers.unsupportedReason).toBeUndefined();
    expect(byName.order_items.unsupportedReason).toContain(`User ${READER} may not read it`);
    expect(byName.order_items.unsupportedReason).toContain(`GRANT SELECT ON "public"."order_items" TO "${READER}"`);
  });

  it("offers tables and columns named in any case or with spaces, and marks a name the warehouse keeps for itself", async () => {
    const res = await api("POST", "/v1/sources/discover", { body: { type: "postgres", url: urlFor(), schema: "Sales" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.schemas).toContain("Sales");
    const byName = Object.fromEntries((res.body.tables as { name: string; unsupportedReason?: string }[]).map((t) => [t.name, t]));
    expect(byName["Order Items"]).toMatchObject({ primaryKey: "OrderId", suggestedCursorColumn: "updatedAt" });
    expect(byName["Order Items"]).not.toHaveProperty("unsupportedReason");
    expect(byName._sync_console_state.unsupportedReason).toMatch(/reserved/);
    // A view is offered too, without a key of its own and without counting its rows.
    expect(byName["Big Orders"]).toMatchObject({ kind: "view", primaryKey: null, estimatedRows: null, suggestedCursorColumn: "updatedAt" });
  });

  it("answers 422 in plain words when it cannot sign in, without the password", async () => {
    const res = await api("POST", "/v1/sources/discover", { body: { type: "postgres", url: urlFor({ password: WRONG_PW }) } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({
      code: "connection_failed",
      field: "url",
      message: "The password for user postgres was refused.",
    });
    expect(res.text).not.toContain(WRONG_PW);
  });

  it("uses an existing sync's stored credentials, which never come back", async () => {
    const integration = await api("POST", "/v1/integrations", { body: { name: `conn-${uid()}` } });
    const sync = await api("POST", "/v1/syncs", {
      body: {
        _integrationId: integration.body._id,
        name: "stored credentials",
        source: { type: "postgres", url: urlFor({ user: READER, password: READER_PW }), tables: [{ name: "customers", primaryKey: "id" }] },
        destination: { type: "postgres", schema: `wh_c_${uid()}` },
      },
    });
    expect(sync.status, sync.text).toBe(201);
    try {
      const tested = await test({ _syncId: sync.body._id, target: "source" });
      expect(tested.status, tested.text).toBe(200);
      expect(checksOf(tested.body).credentials.message).toBe(`Signed in as ${READER}.`);
      const found = await api("POST", "/v1/sources/discover", { body: { _syncId: sync.body._id } });
      expect(found.status, found.text).toBe(200);
      expect(found.body.tables.find((t: { name: string }) => t.name === "customers")?.estimatedRows).toBe(250);
      for (const r of [tested, found]) expect(r.text).not.toContain(READER_PW);

      const noWarehouse = await test({ _syncId: sync.body._id, target: "destination" });
      expect(noWarehouse.status).toBe(400);
      expect(noWarehouse.body.errors[0].field).toBe("target");
      expect((await test({ _syncId: "0123456789abcdef01234567" })).status).toBe(404);
    } finally {
      await api("DELETE", `/v1/integrations/${integration.body._id}`);
    }
  });
});

describe("POST /v1/connections/test on a database whose tables are not in public", () => {
  it("passes the rights check naming the schemas that hold tables, and discovery shows that schema, unless one was asked for", async () => {
    const db = `src_nopublic_${uid()}`;
    await admin.unsafe(`create database ${db}`);
    const other = postgres(urlFor({ database: db }), { max: 1, onnotice: () => {} });
    try {
      await other.unsafe(
        `create schema shop; create table shop.orders (id int primary key); create table shop.customers (id int primary key);`,
      );
      const res = await test({ type: "postgres", url: urlFor({ database: db }) });
      expect(checksOf(res.body).rights).toMatchObject({
        ok: true,
        message: "Schema public has no tables; schema shop (2) has some: pick the schema with the tables.",
      });
      const asked = await test({ type: "postgres", url: urlFor({ database: db }), schema: "public" });
      expect(checksOf(asked.body).rights).toMatchObject({ ok: false, message: "Schema public has no tables to sync." });
      // Discovery without a schema shows the one that has the tables; asked for public, it lists public's (none).
      const found = await api("POST", "/v1/sources/discover", { body: { type: "postgres", url: urlFor({ database: db }) } });
      expect(found.status, found.text).toBe(200);
      expect(found.body).toMatchObject({ schema: "shop", schemas: ["public", "shop"] });
      expect(found.body.tables.map((t: { name: string }) => t.name).sort()).toEqual(["customers", "orders"]);
      const publicOnly = await api("POST", "/v1/sources/discover", {
        body: { type: "postgres", url: urlFor({ database: db }), schema: "public" },
      });
      expect(publicOnly.body).toMatchObject({ schema: "public", tables: [] });
    } finally {
      await other.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${db} with (force)`);
    }
  });
});
