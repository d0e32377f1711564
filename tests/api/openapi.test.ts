import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { declaredExample, resolveRef } from "../../components/api-docs/examples";
import type { JsonSchema, OpenApiDoc } from "../../components/api-docs/types";
import { api } from "../helpers/api";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** The document describes the API; it does not list itself. */
const UNDOCUMENTED = new Set(["GET /v1/openapi.json"]);

/** Every `app/v1/**\/route.ts` with the methods it exports, as `METHOD /v1/a/{}/b` (parameter names vary). */
function routesOnDisk(): string[] {
  const root = path.resolve("app/v1");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // A catch-all (`[...path]`) only answers unknown paths with a 404 envelope; it is no operation.
      if (entry.isDirectory()) {
        if (!entry.name.startsWith("[...")) walk(full);
      } else if (entry.name === "route.ts") {
        const source = fs.readFileSync(full, "utf8");
        const url = `/v1/${path.relative(root, dir)}`.replace(/\/$/, "").replace(/\[[^\]]+\]/g, "{}");
        for (const m of METHODS) {
          if (new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b`).test(source)) found.push(`${m} ${url}`);
        }
      }
    }
  };
  walk(root);
  return found.sort();
}

const normalize = (p: string) => p.replace(/\{[^}]+\}/g, "{}");

async function servedDocument(): Promise<OpenApiDoc> {
  const res = await api("GET", "/v1/openapi.json", { token: null });
  expect(res.status).toBe(200);
  return res.body as OpenApiDoc;
}

const operations = (doc: OpenApiDoc) =>
  Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops)
      .filter(([m]) => (METHODS as readonly string[]).includes(m.toUpperCase()))
      .map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, method: m.toUpperCase(), path: p, op })),
  );

describe("the OpenAPI document", () => {
  it("documents every route under app/v1 and nothing that is not one", async () => {
    const doc = await servedDocument();
    const documented = new Set(operations(doc).map((o) => `${o.method} ${normalize(o.path)}`));
    const onDisk = routesOnDisk();
    expect(onDisk.length).toBeGreaterThan(20);
    const missing = onDisk.filter((r) => !documented.has(r) && !UNDOCUMENTED.has(r));
    expect(missing, "routes with no OpenAPI operation (register them in lib/contracts)").toEqual([]);
    const phantom = [...documented].filter((d) => !onDisk.includes(d));
    expect(phantom, "documented operations with no route file").toEqual([]);
  });

  it("gives every operation a request and a response example", async () => {
    const doc = await servedDocument();
    const schemas = doc.components?.schemas ?? {};
    const lacking: string[] = [];
    for (const { key, op } of operations(doc)) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (!declaredExample(media, schemas)) lacking.push(`${key} request body (${type})`);
      }
      for (const p of op.parameters ?? []) {
        if (p.in === "path" && !declaredExample({ schema: p.schema }, schemas)) lacking.push(`${key} path parameter ${p.name}`);
      }
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        for (const [type, media] of Object.entries(res.content ?? {})) {
          if (!declaredExample(media, schemas)) lacking.push(`${key} → ${status} (${type})`);
        }
      }
      const successes = Object.keys(op.responses ?? {}).filter((s) => s.startsWith("2"));
      expect(successes.length, `${key} has no success response`).toBeGreaterThan(0);
    }
    expect(lacking).toEqual([]);
  });

  it("says which scope each operation needs", async () => {
    const doc = await servedDocument();
    const without = operations(doc)
      .filter(({ op }) => !["sync:read", "sync:write", "admin"].includes(op["x-required-scope"] ?? ""))
      .map((o) => o.key);
    expect(without).toEqual([]);
  });

  it("is in our own words: no 'seed', no 'PRODUCT', no sentence taken from the source documents", async () => {
    const doc = await servedDocument();
    const texts: string[] = [];
    const walk = (v: unknown, key = "") => {
      if (typeof v === "string") texts.push(v);
      else if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          // The sample source's random-generator field is called `seed` on the wire; its name stays.
          if (!(k === "seed" && key === "properties")) texts.push(k);
          walk(x, k);
        }
    };
    walk(doc);
    const joined = texts.join("\n");
    expect(joined.match(/.{0,60}\bseeds?\b.{0,60}/gi) ?? []).toEqual([]);
    expect(joined.match(/.{0,60}PRODUCT.{0,60}/g) ?? []).toEqual([]);

    // Any run of 8 words that also appears in a source document counts as copied.
    const words = (s: string) => s.toLowerCase().match(/[a-z0-9_]+/g) ?? [];
    const grams = (ws: string[]) => new Set(ws.slice(0, Math.max(0, ws.length - 7)).map((_, i) => ws.slice(i, i + 8).join(" ")));
    const dir = "/work/shared/seeds";
    if (!fs.existsSync(dir)) return; // the source documents are not part of a fresh clone
    const theirs = new Set<string>();
    for (const f of fs.readdirSync(dir)) for (const g of grams(words(fs.readFileSync(path.join(dir, f), "utf8")))) theirs.add(g);
    const prose = texts.filter((t) => t.includes(" "));
    const copied = prose.flatMap((t) => [...grams(words(t))].filter((g) => theirs.has(g)).map((g) => `${g}  ←  ${t.slice(0, 80)}`));
    expect(copied).toEqual([]);
  });

  it("has no schema the reference page cannot name (every property typed or referenced)", async () => {
    const doc = await servedDocument();
    const schemas = doc.components?.schemas ?? {};
    const untyped: string[] = [];
    const check = (s: JsonSchema | undefined, where: string) => {
      if (!s) return;
      const r = resolveRef(s, schemas);
      if (!s.$ref && !r.type && !r.anyOf && !r.oneOf && !r.allOf && !r.enum && r.const === undefined && !where.endsWith(".cursor"))
        untyped.push(where);
      for (const [k, p] of Object.entries(s.properties ?? {})) check(p, `${where}.${k}`);
    };
    for (const [name, s] of Object.entries(schemas)) check(s, name);
    expect(untyped).toEqual([]);
  });
});
