import fs from "node:fs";
import type { Machine } from "./machine";
import type { BurstFigure } from "./scale-burst";
import type { PageFigure } from "./scale-pages";
import { ONE_CLIENT, PER_CLIENT, type ReadFigure } from "./scale-reads";

export type ScaleResults = {
  /** How the run was started (`npm run bench -- --scale` or `-- --all`). */
  command: string;
  date: Date;
  seconds: number;
  machine: Machine;
  /** Next.js servers the app ran (WEB_PROCESSES). */
  webProcesses: number;
  seed: Record<string, number>;
  reads: ReadFigure[];
  pages: PageFigure[];
  burst: BurstFigure | { error: string };
  notes: string[];
  volumes: { factor: number; jobs: number; errors: number; bigErrors: number };
  /** The machine is shared: its load when the measurements ended, beside the one at start. */
  loadAtEnd?: string;
};

const HEADING = "## At scale";
const n = (v: number) => Math.round(v).toLocaleString("en-US");

const ms = (v: number) =>
  Number.isNaN(v) ? "—" : v < 10 ? `${v.toFixed(2)} ms` : v < 1000 ? `${v.toFixed(1)} ms` : `${(v / 1000).toFixed(2)} s`;
const sec = (v: number | null) => (v === null || Number.isNaN(v) ? "not reached" : `${v.toFixed(2)} s`);
const met = (ok: boolean) => (ok ? "✅" : "❌");
const table = (head: string[], body: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((b) => `| ${b.join(" | ")} |`)].join("\n");

export function renderScale(r: ScaleResults): string {
  const m = r.machine;
  const reads = r.reads.map((f) => {
    const ratio = f.app32.p95 / f.raw32.p95;
    return [
      f.name,
      ms(f.app1.p50),
      ms(f.app1.p95),
      ms(f.raw1.p95),
      met(f.app1.p95 <= 20),
      `${ms(f.app32.p95)} / ${ms(f.raw32.p95)}`,
      `${ratio.toFixed(1)}×`,
      met(ratio <= 2),
      `${Math.round(f.app32.rps)} / ${Math.round(f.raw32.rps)}`,
    ];
  });
  const failures = r.reads.flatMap((f) => f.failures.map((x) => `- ${f.name}: ${x}`));
  const pages = r.pages.map((p) => [
    p.name,
    `\`${p.path.replace(/[0-9a-f]{24}/g, "…")}\``,
    p.error ? `failed: ${p.error}` : ms(p.p50),
    ms(p.max),
    met(!p.error && p.max <= 1000),
    p.load === undefined ? "—" : `${ms(p.load)} / ${ms(p.hydrated ?? NaN)}`,
    p.ttfb === undefined ? "—" : `${ms(p.ttfb)} / ${ms(p.htmlEnd ?? NaN)}, ${(p.htmlKb ?? 0).toFixed(0)} kB`,
    p.mainThread === undefined ? "—" : `${ms(p.mainThread)} (script ${ms(p.script ?? NaN)})`,
    p.fetches === undefined ? "—" : p.fetches.length ? p.fetches.map((f) => `\`${f}\``).join(", ") : "none",
  ]);
  const b = r.burst;
  const burst =
    "error" in b
      ? `The burst could not be measured: ${b.error}`
      : table(
          ["Measure", "Measured", "Goal", "Met"],
          [
            ["Scheduled jobs created / due schedules", `${b.created} / ${b.schedules}`, "all", met(b.created === b.schedules)],
            [
              "Jobs stamped within 10 s of the slot (`created_at`)",
              `${b.createdWithin10s}`,
              `${b.schedules}`,
              met(b.createdWithin10s === b.schedules),
            ],
            ["Slot → last job committed (visible to readers)", sec(b.allCreatedSeconds), "≤ 10 s", met(b.allCreatedSeconds <= 10)],
            ["Slot → last job started by a worker", sec(b.allStartedSeconds), "as fast as workers claim", "—"],
            ["Slot → last job ended", sec(b.allEndedSeconds), "—", "—"],
            ["Syncs with more than one job for the slot", String(b.duplicates), "0", met(b.duplicates === 0)],
            ["`fired` slot records", String(b.firedEvents), `${b.schedules}`, met(b.firedEvents === b.schedules)],
          ],
        );
  const seed = Object.entries(r.seed)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(", ");

  return `${HEADING}

Produced by \`${r.command}\` (\`lib/bench/scale.ts\`) on ${r.date.toISOString().replace("T", " ").slice(0, 16)} UTC, in one run
(${Math.round(r.seconds)} s) against one throwaway embedded Postgres (default durability) and one real app server
(\`lib/bin/start.ts\`, \`WORKERS=0\`, \`WEB_PROCESSES=${r.webProcesses}\`, production build) on the same machine; every
baseline is from that run.
${r.notes.map((n) => `${n}\n`).join("")}
${table(
  ["CPU", "Cores", "Memory", "Node", "PostgreSQL", "OS", "Load avg at start (1/5/15 min)"],
  [[m.cpu, String(m.cores), `${m.memoryGiB} GiB`, m.node, m.postgres, m.os, m.loadAtStart]],
)}
${r.loadAtEnd ? `\nLoad average at the end of the run (1/5/15 min): ${r.loadAtEnd}.\n` : ""}

**Data**${r.volumes.factor === 1 ? "" : ` (scaled down: \`BENCH_SCALE=${r.volumes.factor}\`, not the target volumes)`}: ${n(r.volumes.jobs)} jobs in 40 syncs
of one integration (the busy sync holds ${n(r.volumes.jobs / 5)}), 3 table jobs each for the newest ${n(r.volumes.jobs / 10)},
${n(r.volumes.errors)} errors (${n(r.volumes.bigErrors)} in one recent job of the busy sync, inserted last). Seeded set-based
(steps named by their full-scale volumes: ${seed}).

### Reads over HTTP beside the raw SQL of the same query

"Raw SQL" runs the statements the endpoint answers from (the page and its total) with postgres.js on its own pool,
no HTTP, no auth. One client: ${ONE_CLIENT} sequential requests after a warm-up. 32 clients: each sends its next request when
the previous one answered, ${PER_CLIENT} each. Goals: app p95 ≤ 20 ms for one client; app p95 ≤ 2× raw p95 at 32 clients.

${table(
  [
    "Read",
    "App p50, 1 client",
    "App p95, 1 client",
    "Raw SQL p95, 1 client",
    "≤ 20 ms",
    "p95 at 32 clients: app / raw",
    "Ratio",
    "≤ 2×",
    "req/s at 32: app / raw",
  ],
  reads,
)}
${
  failures.length
    ? `
Requests the app did not answer with 2xx during these measurements:

${failures.join("\n")}
`
    : ""
}
### Scheduler burst: ${"error" in b ? "" : b.schedules.toLocaleString("en-US")} schedules due in the same second, two worker processes

${burst}

### Pages in Chromium

Timed inside the page, from the start of navigation to the first frame painted with the page's data in the DOM, and
not before the browser's first contentful paint (the data: the overview's totals, integration and 10 latest failures;
the 40 syncs; the sync's tables and 25 history rows; the 3 table jobs; 50 errors; and no skeleton or loading status
left), signed in as an admin, a fresh tab per load; median and slowest of 5 loads after one warm-up load. Goal: ≤ 1 s.
Beside it, the load event and the moment the page is hydrated (interactive), which can come later.

${table(["Page", "Path", "p50", "Slowest", "≤ 1 s", "Load event / hydrated (p50)", "HTML first / last byte, size (p50)", "Browser main thread (p50)", "/v1 requests before visible"], pages)}

### How the totals stay cheap

- \`totalCount\` of a job history is a sum over \`sync_job_counts\` (jobs per sync and status), \`x-total-count\` and
  the errors summary are sums over \`sync_error_counts\` (errors per table job, code and stage): a few rows each,
  kept exact by database triggers (statement-level with transition tables for inserts and deletes, a row trigger
  on status changes only), so no writer has to remember them. Only a text search (\`q=\`) counts its matches,
  through the trigram index.
- An errors page is a deferred join: the page's ids from an index-only scan of the index that serves the filter
  (\`parent_job_id, id\`, \`child_job_id, id\`, \`parent_job_id, code, id\`; the trigram index for \`q=\`), then those
  rows by primary key; asked for whole rows in id order, the planner walked the primary key.

### What a request costs besides its query

- No authentication query: a verified API key or session is kept in memory for up to 5 s (\`lib/auth/principal-cache.ts\`),
  keyed by its token's sha256. Revoking, narrowing or expiring a key, signing out, or changing a user's role or password
  empties that cache at once in the process that made the change and, through the \`auth_changed\` notification raised
  by triggers at commit, in every other web process within milliseconds; while that notification connection is down
  nothing is cached. Tested in \`tests/api/auth-cache.test.ts\` (changes made from another connection are refused in < 1 s).
- No write: an API key's \`last_used_at\` is stamped after the response, at most once a minute per key and process,
  and the rate limit counts in memory and adds its counts to the shared \`rate_limits\` rows once a second
  (\`lib/api/rate-limit.ts\`).
- No proxy: \`proxy.ts\` (which turns an undecodable path into a 400) runs only for paths holding a \`%\`; run for
  every request it cost about as much server CPU as a small read.
- Existence checks run beside the page's own statements (history, errors, summary, family), not before them.
- What is left is Next.js's own handling of a request (routing, the Web \`Request\`/\`Response\` and their streams),
  measured at about 2.5 ms of server CPU for \`/healthz\` on this machine, more than most of these queries take.
- The app runs a Next.js server per core (\`WEB_PROCESSES\`), sharing the port. On these 2 cores, which Postgres and
  the bench's own clients share, two servers instead of one answered about a third more requests at 32 clients
  (kept data, 2026-12-03: one job 410 → 515 req/s, job family 274 → 402, history first page 154 → 240).
- At 32 clients a p95 is mostly queueing: about 32 requests ÷ requests per second. To stay within 2× of a query
  Postgres answers 5,000–10,000 times a second here, the app would have to answer 2,500–5,000 requests a second on
  the same 2 cores: 0.4–0.8 ms of CPU per request for HTTP, auth, the query's client side and JSON together,
  less than Next.js's own handling of a request costs.
`;
}

/** Replaces the "At scale" section of the benchmarks file (or appends it), leaving every other section alone. */
export function writeScaleSection(file: string, section: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  fs.writeFileSync(file, withSection(current, section));
}

export function withSection(doc: string, section: string): string {
  const start = doc.indexOf(`\n${HEADING}\n`);
  if (start < 0) return `${doc.trimEnd()}\n\n${section}`;
  const next = doc.indexOf("\n## ", start + HEADING.length + 2);
  return `${doc.slice(0, start).trimEnd()}\n\n${section}${next < 0 ? "" : `\n${doc.slice(next + 1)}`}`;
}

/** The current "At scale" section of a benchmarks file, for `npm run bench` to keep when it rewrites the rest. */
/** One `## ` section of a markdown document, heading included, or null. */
export function sectionOf(doc: string, heading: string): string | null {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) return null;
  const next = doc.indexOf("\n## ", start + heading.length + 2);
  return doc.slice(start + 1, next < 0 ? undefined : next + 1);
}

export const scaleSectionOf = (doc: string): string | null => sectionOf(doc, HEADING);
