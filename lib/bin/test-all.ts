/**
 * `npm test`: the whole suite — lint (ESLint, layering rules, Prettier), vitest (unit, integration
 * against a real Postgres and server), then Playwright (real Chromium). Ends with one plain line:
 * "N passed, N failed" (lint counts as one check).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const results = path.resolve("test-results");
fs.mkdirSync(results, { recursive: true });
const bin = (name: string) => path.resolve("node_modules", ".bin", name);

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the vitest and Playwright report shapes are read loosely on purpose
function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const only = process.argv[2]; // "lint" | "unit" | "e2e" | undefined (all three)
let passed = 0;
let failed = 0;
let crashed = false;

if (!only || only === "lint") {
  const code = run("npm", ["run", "--silent", "lint"]);
  if (code === 0) passed += 1;
  else {
    console.error("lint failed: run `npm run lint` (and `npm run format` for Prettier's findings)");
    failed += 1;
  }
}

if (!only || only === "unit") {
  const out = path.join(results, "vitest.json");
  fs.rmSync(out, { force: true });
  const code = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile=${out}`]);
  const report = readJson(out);
  if (report) {
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numTodoTests ?? 0);
    if (code !== 0 && !report.numFailedTests) crashed = true;
  } else crashed = true;
}

if (!only || only === "e2e") {
  const out = path.join(results, "playwright.json");
  fs.rmSync(out, { force: true });
  const code = run(bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const report = readJson(out);
  if (report?.stats) {
    passed += (report.stats.expected ?? 0) + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected ?? 0;
    if (code !== 0 && !report.stats.unexpected) crashed = true;
  } else crashed = true;
}

if (crashed) failed = Math.max(failed, 1);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
