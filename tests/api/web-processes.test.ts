import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processAlive, startEmbeddedPostgres, type EmbeddedDb } from "../../lib/runtime/embedded-postgres";
import { type OwnApp, startOwnApp } from "../helpers/own-app";

/**
 * WEB_PROCESSES=2: `npm start` runs two Next.js servers sharing one port, so the web side can use
 * more than one core. Both must take connections, a credential change made through one must hold in
 * the other at once (each keeps its own short-lived credential cache), and stopping `npm start` must
 * leave no web process behind. Its own Postgres and app server: the shared server runs one process.
 */
const TOKEN = `sc_webprocs_${Date.now()}`;
let dir: string;
let pg: EmbeddedDb;
let app: OwnApp;

/** One request on a connection of its own (no keep-alive), so each may land in either process. */
function request(method: string, pathname: string, token: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port: app.port,
        path: pathname,
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json" } : {}) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${pathname} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Many requests from `clients` concurrent loops; returns their statuses. */
async function burst(total: number, clients: number, call: () => Promise<{ status: number }>): Promise<number[]> {
  const statuses: number[] = [];
  let left = total;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (left-- > 0) statuses.push((await call()).status);
    }),
  );
  return statuses;
}

/** The web processes: children of the start process running Next.js. */
function webProcesses(): number[] {
  const out = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(app.server.pid)], { encoding: "utf8" }).stdout;
  return out
    .split("\n")
    .filter((l) => l.includes("next"))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** CPU time a process has used, in clock ticks (utime + stime of /proc/<pid>/stat). */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sc-webprocs-"));
  fs.chmodSync(dir, 0o755);
  pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), fast: true });
  app = await startOwnApp({ DATABASE_URL: pg.url, WEB_PROCESSES: "2", WORKERS: "0", ADMIN_API_TOKEN: TOKEN });
}, 300_000);

afterAll(async () => {
  await app?.stop();
  await pg?.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("WEB_PROCESSES=2", () => {
  it("runs two web processes on the one port and both take connections", async () => {
    // The second may still be starting when the first answers.
    const deadline = Date.now() + 30_000;
    while (webProcesses().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const pids = webProcesses();
    expect(pids).toHaveLength(2);
    await burst(100, 16, () => request("GET", "/readyz", TOKEN)); // both past start-up, their routes loaded
    const before = pids.map(cpuTicks);
    const statuses = await burst(400, 16, () => request("GET", "/v1/syncs", TOKEN));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const used = pids.map((pid, i) => cpuTicks(pid) - before[i]);
    const total = used[0] + used[1];
    // Each served a real share of the 400 requests (an idle process uses next to no CPU).
    expect(Math.min(...used), `CPU ticks per process: ${used.join(", ")}`).toBeGreaterThan(total * 0.15);
  });

  it("a key revoked through one process is refused by both at once", async () => {
    const created = await request("POST", "/v1/apiKeys", TOKEN, { name: "two processes", scopes: ["sync:read"] });
    expect(created.status, created.text).toBe(201);
    const key = JSON.parse(created.text) as { _id: string; token: string };
    // Used on many connections, so both processes hold it in their caches.
    expect(await burst(60, 8, () => request("GET", "/v1/syncs", key.token))).toEqual(Array(60).fill(200));

    const revoked = await request("DELETE", `/v1/apiKeys/${key._id}`, TOKEN);
    expect(revoked.status, revoked.text).toBeLessThan(300);
    const t0 = Date.now();
    let statuses: number[];
    do statuses = await burst(20, 4, () => request("GET", "/v1/syncs", key.token));
    while (statuses.some((s) => s !== 401) && Date.now() - t0 < 6_000);
    expect(Date.now() - t0, `still answered ${statuses.join(",")}`).toBeLessThan(1_000);
    // And it stays refused: no process answers from a stale cache afterwards.
    expect(await burst(40, 8, () => request("GET", "/v1/syncs", key.token))).toEqual(Array(40).fill(401));
  });

  it("stopping npm start stops every web process and frees the port", async () => {
    const pids = webProcesses();
    await app.stop();
    const deadline = Date.now() + 10_000;
    while (pids.some(processAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(processAlive)).toEqual([]);
    await expect(request("GET", "/healthz", TOKEN)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("a bad WEB_PROCESSES", () => {
  it("is refused at start, naming the variable", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "lib/bin/start.ts"], {
      env: { ...process.env, WEB_PROCESSES: "two", DATABASE_URL: "postgres://unused@127.0.0.1:1/none" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/WEB_PROCESSES must be a whole number of at least 1, not "two"/);
  });
});
