/**
 * The layers of the code base, bottom first, enforced with core `no-restricted-imports`: a file may
 * import its own layer and the layers below it, never one above. Dependencies then flow one way
 * (contracts and db → domain services → the engine → the API, pages and tools), so lib/ has no
 * import cycles and domain code cannot reach for HTTP. `npx madge --circular` agrees (zero cycles).
 *
 * Imports across folders are written `@/lib/...`; relative paths that climb into another folder
 * (`../api/handler`, `../../lib/engine/worker`) are caught too.
 */

/** `folders` are paths from the repository root; a `.ts` entry is a single file. */
const LAYERS = [
  {
    folders: ["lib/errors", "lib/ids.ts"],
    what: "the bottom (error codes, DomainError and ids, importing nothing of ours)",
  },
  { folders: ["db"], what: "the database schema and client" },
  {
    folders: ["lib/contracts"],
    what: "the wire contracts: zod schemas, codes and constants that validate requests and generate the OpenAPI document",
  },
  { folders: ["lib/runtime"], what: "process plumbing every layer may use: logging, configuration, the embedded Postgres" },
  {
    folders: ["lib/secrets", "lib/connections", "lib/audit"],
    what: "the base domain services (credentials at rest, connection checks, the audit log)",
  },
  { folders: ["lib/auth", "lib/jobs"], what: "domain services: users, keys and sessions; sync jobs and their state" },
  { folders: ["lib/scheduler", "lib/events", "lib/overview"], what: "domain services built on jobs: schedules, live events, the overview" },
  { folders: ["lib/syncs"], what: "the sync service (configuration, schedules, checkpoints)" },
  { folders: ["lib/integrations"], what: "the integration service, which owns syncs" },
  { folders: ["lib/engine"], what: "the engine, which runs table jobs on top of the services" },
  {
    folders: ["lib/api", "lib/ui"],
    what: "the HTTP edge: the route wrapper and its error mapping, the dashboard's client and page helpers",
  },
  {
    folders: ["lib/bootstrap", "lib/bin", "lib/bench", "app", "components"],
    what: "the top: route handlers, pages, components, entry points and tools",
  },
];

/** What to do instead, by the layer an import reaches up into. */
const ADVICE = {
  "lib/api":
    "throw a DomainError (@/lib/errors) with a code; only the route wrapper turns codes into HTTP statuses (lib/api/error-status.ts)",
  "lib/engine":
    "services sit below the engine: take the engine step as a parameter (as deleteSync takes dropReplication) or move the shared piece down",
};
const DEFAULT_ADVICE =
  "move the shared piece down into the lower layer (a contract, a constant, a small service) or pass it in as a parameter";

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const moduleOf = (folder) => folder.replace(/\.ts$/, "");
/** `@/lib/api`, `@/lib/api/handler`; and relative climbs ending there (`../api/x`, `../../lib/api/x`). */
const importRegex = (folder) => {
  const path = moduleOf(folder);
  const last = path.split("/").slice(1).join("/") || path;
  return `^(@/${escape(path)}|(\\.\\./)+(${escape(path)}|${escape(last)}))(/|$)`;
};
const globsOf = (folder) => (folder.endsWith(".ts") ? [folder] : [`${folder}/**/*.{ts,tsx,mts,js,mjs}`]);

/** The code → status table belongs to the route wrapper's error mapping alone. */
const STATUS_TABLE = {
  regex: "^(@/lib/api|(\\.\\./)+(lib/)?api)/error-status$",
  message:
    "Only lib/api maps error codes to HTTP statuses (lib/api/error-status.ts). Throw a DomainError, or check `isDomainError(e, code)`; never a status.",
};

const layers = LAYERS.map((layer, rank) => {
  const above = LAYERS.slice(rank + 1);
  return layer.folders.map((own) => ({
    name: `layers/${moduleOf(own)}`,
    files: globsOf(own),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...above.flatMap((target) =>
              target.folders.map((folder) => ({
                regex: importRegex(folder),
                message:
                  `${moduleOf(own)} is part of ${layer.what}; it may not import ${moduleOf(folder)} (${target.what}), ` +
                  `which sits above it. Instead, ${ADVICE[moduleOf(folder)] ?? DEFAULT_ADVICE}.`,
              })),
            ),
            ...(own === "lib/api" ? [] : [STATUS_TABLE]),
          ],
        },
      ],
    },
  }));
}).flat();

export default layers;
