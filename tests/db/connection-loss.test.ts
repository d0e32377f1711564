import { spawn } from "node:child_process";
import { describe, expect, it, inject } from "vitest";

/**
 * postgres.js 3.4.9 schedules small writes on `setImmediate`; when a backend dies under an open
 * transaction, its own ROLLBACK lands on the closed socket and the TypeError escapes every
 * try/catch, killing the process (porsager/postgres#1208). A worker that dies this way leaves its
 * jobs to the lease timeout and, under `npm start`, takes the scheduler with it. Our patch
 * (patches/postgres+3.4.9.patch) settles that write with CONNECTION_CLOSED instead.
 *
 * The repro runs in a child process so that a regression shows as its exit code, not as a crash
 * of the test runner.
 */
const CHILD = `
const postgres = require("postgres");
const url = process.argv[1];
(async () => {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const killer = postgres(url, { max: 1 });
  for (let round = 0; round < 5; round++) {
    let pid = null;
    const tx = sql.begin(async (t) => {
      const [row] = await t\`select pg_backend_pid() as pid\`;
      pid = row.pid;
      await t\`select pg_sleep(5)\`;
    });
    // Settled from the start: the transaction may reject before the kill's own answer arrives.
    const outcome = tx.then(() => "committed", (e) => e.code ?? e.message);
    while (pid === null) await new Promise((r) => setTimeout(r, 20));
    await killer\`select pg_terminate_backend(\${pid})\`;
    if ((await outcome) === "committed") throw new Error("the transaction survived its backend");
  }
  // Give any stray setImmediate a chance to fire, then prove the pool still answers.
  await new Promise((r) => setTimeout(r, 200));
  const [{ one }] = await sql\`select 1 as one\`;
  process.stdout.write("alive " + one + "\\n");
  await sql.end();
  await killer.end();
})().catch((e) => { console.error(e); process.exit(3); });
`;

/** Runs a repro script in a child process; it must exit 0, print nothing to stderr and end with "alive 1". */
async function expectSurvives(script: string, timeoutMs: number) {
  const child = spawn(process.execPath, ["-e", script, inject("databaseUrl")], { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  expect({ code, err: err.split("\n").slice(0, 6).join("\n") }).toEqual({ code: 0, err: "" });
  expect(out.trim()).toBe("alive 1");
}

describe("losing a connection inside a transaction", () => {
  it("rejects the transaction and leaves the process and its pool alive", () => expectSurvives(CHILD, 20_000), 30_000);
});

/**
 * A reserved connection (each batch's pipelined transaction) stops taking statements while one
 * waits for its parameter types (the first run of a statement on a connection); the next ones wait
 * in the handle's own queue. postgres.js 3.4.9 forgot that queue when the backend died, so those
 * statements (a batch's COMMIT) never settled and the table job hung, uncancelable; the released
 * dead connection then failed the pool's next query. Patched: they are rejected, the handle stays
 * dead, and the pool reconnects.
 */
const RESERVED_CHILD = `
const postgres = require("postgres");
const url = process.argv[1];
const within = (p, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(what + " never settled")), 5000))]);
(async () => {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const killer = postgres(url, { max: 1 });
  for (let round = 0; round < 3; round++) {
    const tx = await sql.reserve();
    const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
    await tx.unsafe("begin");
    const waiting = tx\`select pg_sleep(\${5 + round})\`.execute();
    const commit = tx.unsafe("commit").execute();
    // Settled from the start: both reject before the kill's own answer arrives (it sleeps to make
    // sure), and a rejection nobody listens to yet would end this process.
    const dying = Promise.allSettled([waiting, commit]);
    // A query of the pool's own, waiting for its only connection while the handle holds it.
    const other = sql\`select \${round}::int as r\`.execute();
    other.catch(() => {});
    await killer\`select pg_terminate_backend(\${pid}), pg_sleep(0.2)\`;
    const settled = await within(dying, "the queued commit");
    if (settled.some((s) => s.status !== "rejected")) throw new Error("a statement of the dead transaction succeeded");
    // Sent after the death: rejected, not run on a fresh connection outside the transaction.
    const late = await within(tx.unsafe("insert into pg_temp.nothing values (1)").execute().then(() => "ran", (e) => e.code), "a late statement");
    if (late !== "CONNECTION_CLOSED") throw new Error("a late statement of the dead handle: " + late);
    tx.release();
    const [{ r }] = await within(other, "the pool's waiting query");
    if (r !== round) throw new Error("wrong answer " + r);
  }
  const [{ one }] = await within(sql\`select 1 as one\`, "the pool");
  process.stdout.write("alive " + one + "\\n");
  await sql.end();
  await killer.end();
})().catch((e) => { console.error(e); process.exit(3); });
`;

describe("losing the connection of a reserved handle with statements queued", () => {
  it("rejects every statement, sends nothing later on it, and the pool goes on", () => expectSurvives(RESERVED_CHILD, 40_000), 60_000);
});

/**
 * Something that accepts connections and hangs up as soon as the client speaks (a proxy or a
 * firewall in front of nothing): postgres.js 3.4.9 reconnected without end, restarting its
 * connect timeout each time, so the query (a table job's, a connection check's) never settled.
 * Patched: a few tries, then it fails, and the next query tries afresh.
 */
const HANGUP_CHILD = `
const net = require("node:net");
const postgres = require("postgres");
const within = (p, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(what + " never settled")), 10000))]);
const server = net.createServer((s) => { s.on("error", () => {}); s.on("data", () => s.destroy()); });
server.listen(0, "127.0.0.1", async () => {
  try {
    const sql = postgres("postgres://u:p@127.0.0.1:" + server.address().port + "/x", { max: 1, connect_timeout: 5, onnotice: () => {} });
    for (let i = 0; i < 2; i++) {
      const code = await within(sql\`select 1\`.then(() => "answered", (e) => e.code), "a query to it");
      if (code !== "CONNECTION_CLOSED") throw new Error("unexpected " + code);
    }
    process.stdout.write("alive 1\\n");
    await sql.end({ timeout: 0 });
    server.close();
  } catch (e) { console.error(e); process.exit(3); }
});
`;

describe("a server that hangs up before the handshake", () => {
  it("fails the query after a few tries instead of retrying forever", () => expectSurvives(HANGUP_CHILD, 20_000), 30_000);
});

/**
 * A connection reset (RST: a failover, a NAT that forgot it) reports its socket's error event a
 * moment before its close event. A reserved handle released in between (a batch's transaction that
 * failed with the reset) gave the pool that connection, and the next query (the table job's read of
 * what landed, as it settled the failure) was queued on it and then never answered nor rejected:
 * the table job hung for good. Patched: the handle leaves the connection to its close event, which
 * hands it back to the pool, and that query runs on a fresh connection.
 */
const RESET_CHILD = `const net = require("node:net");
const postgres = require("postgres");
const target = new URL(process.argv[1]);
const within = (p, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(what + " never settled")), 8000))]);
const open = new Set();
const relay = net.createServer((client) => {
  const upstream = net.connect(Number(target.port), target.hostname);
  for (const s of [client, upstream]) { s.on("error", () => {}); }
  open.add(client);
  client.on("close", () => { open.delete(client); upstream.destroy(); });
  upstream.on("close", () => client.destroy());
  client.pipe(upstream).pipe(client);
});
relay.listen(0, "127.0.0.1", async () => {
  try {
    const url = new URL(target); url.host = "127.0.0.1:" + relay.address().port;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {}, backoff: 0.05 });
    for (let round = 0; round < 3; round++) {
      const tx = await sql.reserve();
      const sleeping = tx\`select pg_sleep(5)\`.execute();
      const next = sleeping.then(
        () => { throw new Error("the statement survived its connection"); },
        () => { tx.release(); return within(sql\`select \${round}::int as r\`.execute().then((r) => r[0].r, (e) => e.code), "a query right after the handle's release"); },
      );
      await new Promise((r) => setTimeout(r, 200));
      for (const s of open) s.resetAndDestroy();
      const got = await next;
      if (got !== round) throw new Error("the query after the release got " + got);
    }
    const [{ one }] = await within(sql\`select 1 as one\`, "the pool");
    process.stdout.write("alive " + one + "\\n");
    await sql.end({ timeout: 1 });
    relay.close();
  } catch (e) { console.error(e); process.exit(3); }
});
`;

describe("a reset connection whose handle is released before its close event", () => {
  it("answers the pool's next query on a fresh connection instead of losing it", () => expectSurvives(RESET_CHILD, 40_000), 60_000);
});

/**
 * A transaction's connection dies while its code waits for something else; the pool reconnects it
 * for another query. postgres.js 3.4.9 then sent the transaction's next statement on the new
 * connection, where it ran and committed on its own: a write outside the transaction it belonged to
 * (the control plane's counters without their checkpoint). Patched: it is rejected.
 */
const STALE_CHILD = `
const postgres = require("postgres");
const url = process.argv[1];
(async () => {
  const sql = postgres(url, { max: 1, onnotice: () => {}, backoff: 0.05 });
  const killer = postgres(url, { max: 1 });
  const table = "stale_" + process.pid;
  await sql.unsafe("create table " + table + " (v int)");
  let pid = null;
  const tx = sql.begin(async (t) => {
    [{ pid }] = await t\`select pg_backend_pid() as pid\`;
    // Code that tolerates a failed statement and goes on after waiting for something else.
    await t\`select pg_sleep(5)\`.catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    await t.unsafe("insert into " + table + " values (1)");
  });
  const outcome = tx.then(() => "committed", (e) => e.code ?? e.message);
  while (pid === null) await new Promise((r) => setTimeout(r, 10));
  // The pool's next query reconnects the transaction's connection at once.
  const other = sql\`select 1 as one\`.execute();
  other.catch(() => {});
  await killer\`select pg_terminate_backend(\${pid})\`;
  if ((await outcome) === "committed") throw new Error("the transaction survived its backend");
  await other;
  await new Promise((r) => setTimeout(r, 1000));
  const [{ n }] = await killer.unsafe("select count(*)::int as n from " + table);
  if (n !== 0) throw new Error(n + " row(s) written outside the transaction they belonged to");
  await killer.unsafe("drop table " + table);
  const [{ one }] = await sql\`select 1 as one\`;
  process.stdout.write("alive " + one + "\\n");
  await sql.end({ timeout: 1 });
  await killer.end();
})().catch((e) => { console.error(e); process.exit(3); });
`;

describe("a statement of a transaction whose connection died", () => {
  it("is rejected instead of running on the pool's next connection", () => expectSurvives(STALE_CHILD, 30_000), 40_000);
});
