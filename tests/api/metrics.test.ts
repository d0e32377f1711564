import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";

/** GET /metrics over HTTP: the scrape works, needs sync:read (or METRICS_TOKEN), and is valid exposition text. */
async function keyWith(scopes: string[]) {
  const res = await api("POST", "/v1/apiKeys", { body: { name: `metrics-${Math.random().toString(36).slice(2, 8)}`, scopes } });
  expect(res.status, res.text).toBe(201);
  return res.body.token as string;
}

type Family = { type: string; help: string; samples: { labels: Record<string, string>; value: number }[] };

/**
 * A strict reader of the Prometheus text format (0.0.4): every line is a HELP, a TYPE or a sample;
 * each family has one HELP and one TYPE before its samples; names and labels are well-formed;
 * values are floats. Throws on anything else.
 */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  expect(text.endsWith("\n"), "ends with a newline").toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "") continue;
    let m = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line);
    if (m) {
      expect(families.has(m[1]), `one HELP for ${m[1]}`).toBe(false);
      families.set(m[1], { type: "", help: m[2], samples: [] });
      continue;
    }
    m = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (m) {
      const f = families.get(m[1]);
      expect(f, `HELP before TYPE for ${m[1]}`).toBeDefined();
      expect(f!.type, `one TYPE for ${m[1]}`).toBe("");
      expect(f!.samples.length, `TYPE before samples for ${m[1]}`).toBe(0);
      f!.type = m[2];
      continue;
    }
    m = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`).exec(line);
    expect(m, `a sample line: ${line}`).not.toBeNull();
    const [, name, rawLabels, rawValue] = m!;
    const f = families.get(name);
    expect(f?.type, `${name} declared before its samples`).toBeTruthy();
    const labels: Record<string, string> = {};
    if (rawLabels) {
      for (const pair of rawLabels.match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"/g) ?? []) {
        const eq = pair.indexOf("=");
        labels[pair.slice(0, eq)] = pair.slice(eq + 2, -1);
      }
      expect(
        Object.entries(labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(","),
        `labels of ${line}`,
      ).toBe(rawLabels.replace(/,$/, ""));
    }
    expect(rawValue, `value of ${line}`).toMatch(/^(?:[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+)|[+-]Inf|NaN)$/i);
    f!.samples.push({ labels, value: Number(rawValue) });
  }
  return families;
}

describe("GET /metrics", () => {
  it("without a token is a bare 401; a bad token is a 401, never a 5xx", async () => {
    const none = await api("GET", "/metrics", { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: "Unauthorized" });
    for (const authorization of ["Bearer nope", "Bearer ", "Basic Zm9vOmJhcg==", `Bearer ${"x".repeat(5000)}`, "Bearer a b c"]) {
      const res = await api("GET", "/metrics", { token: null, headers: { authorization } });
      expect(res.status, `${authorization.slice(0, 20)}: ${res.text}`).toBe(401);
    }
  });

  it("a key without sync:read is 403 insufficient_scope", async () => {
    const res = await api("GET", "/metrics", { token: await keyWith(["sync:write"]) });
    expect(res.status, res.text).toBe(403);
    expect(res.body.errors[0].code).toBe("insufficient_scope");
  });

  it("a sync:read key gets valid exposition text with every gauge", async () => {
    // Something to count: a finished run.
    const integ = await api("POST", "/v1/integrations", { body: { name: "metrics" } });
    const sync = await api("POST", "/v1/syncs", {
      body: { _integrationId: integ.body._id, name: "metrics", source: { type: "sample", tables: [{ name: "t", rows: 5 }] } },
    });
    expect(sync.status, sync.text).toBe(201);
    expect((await api("POST", `/v1/syncs/${sync.body._id}/run`)).status).toBe(200);

    const res = await api("GET", "/metrics", { token: await keyWith(["sync:read"]) });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8$/);
    const families = parseExposition(res.text);
    for (const name of [
      "sync_console_jobs",
      "sync_console_table_jobs_active",
      "sync_console_oldest_queued_table_seconds",
      "sync_console_workers_holding_leases",
    ]) {
      expect(families.get(name)?.type, name).toBe("gauge");
    }
    const jobs = families.get("sync_console_jobs")!.samples;
    expect(jobs.reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(1);
    for (const s of jobs) expect(["queued", "running", "canceling", "completed", "failed", "canceled"]).toContain(s.labels.status);
    expect(families.get("sync_console_oldest_queued_table_seconds")!.samples[0].value).toBeGreaterThanOrEqual(0);
  });

  it("the METRICS_TOKEN works as a bearer when set", async () => {
    // vitest.config.mts sets it for the server it starts and for this worker.
    const token = process.env.METRICS_TOKEN;
    expect(token, "vitest.config.mts sets METRICS_TOKEN").toBeTruthy();
    const res = await api("GET", "/metrics", { token });
    expect(res.status, res.text).toBe(200);
    parseExposition(res.text);
    expect((await api("GET", "/metrics", { token: `${token}x` })).status).toBe(401);
  });
});
