/**
 * Wire contract of the live event streams (Server-Sent Events). The dashboard subscribes to them
 * to refresh what changed instead of polling; programs may too.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorEnvelope, UnauthorizedBody } from "./jobs";

extendZodWithOpenApi(z);

const hexId = (description: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{24}$/i, "must be a 24-hex id")
    .openapi({ description, example: "65f1c2a9e4b0a1b2c3d4e5f6" });

export const EventsQuery = z.object({
  integrationId: hexId("Only events of this integration's syncs.").optional(),
  syncId: hexId("Only events of this sync.").optional(),
});

export const JobEventSchema = z
  .object({
    kind: z.enum(["job", "table", "progress"]).openapi({
      description: "`job`: the sync job's status changed. `table`: a table job's status changed. `progress`: records moved.",
    }),
    syncJobId: z.string(),
    syncId: z.string(),
    integrationId: z.string().optional(),
    tableJobId: z.string().optional().openapi({ description: "Present for `table` and `progress` events." }),
    status: z.string().optional().openapi({ description: "The new status, for `job` and `table` events." }),
  })
  .openapi("JobEvent", {
    description:
      'The `data:` of one message. A message `{"kind":"resync"}` means events may have been missed (the server\'s ' +
      "database connection was re-established): refetch what you show.",
    example: {
      kind: "table",
      syncJobId: "65f1c2a9e4b0a1b2c3d4e5f6",
      syncId: "65f1c2a9e4b0a1b2c3d4e5f1",
      integrationId: "65f1c2a9e4b0a1b2c3d4e5f0",
      tableJobId: "65f1c2a9e4b0a1b2c3d4e5f8",
      status: "running",
    },
  });

const STREAM_EXAMPLE =
  "retry: 2000\nevent: ready\ndata: {}\n\n" +
  'data: {"kind":"job","syncJobId":"65f1c2a9e4b0a1b2c3d4e5f6","syncId":"65f1c2a9e4b0a1b2c3d4e5f1","integrationId":"65f1c2a9e4b0a1b2c3d4e5f0","status":"running"}\n\n' +
  ": ping\n\n";

const streamOf = (ending: string) => ({
  description:
    `${ending} It opens with \`event: ready\`; each change is a \`data:\` line holding a \`JobEvent\`; ` +
    "a `: ping` comment every 15 s keeps proxies from closing it. Events are hints to refetch, not a full state.",
  content: {
    "text/event-stream": {
      schema: z.string().openapi({ description: "Server-Sent Events; each `data:` is a JobEvent", example: STREAM_EXAMPLE }),
      example: STREAM_EXAMPLE,
    },
  },
});

const errors = (notFound?: string) => ({
  ...(notFound
    ? {}
    : { 400: { description: "Bad query parameter (`invalid_parameter`).", content: { "application/json": { schema: ErrorEnvelope } } } }),
  401: { description: "Missing or invalid credentials.", content: { "application/json": { schema: UnauthorizedBody } } },
  403: { description: "Lacks `sync:read` (`insufficient_scope`).", content: { "application/json": { schema: ErrorEnvelope } } },
  ...(notFound ? { 404: { description: notFound, content: { "application/json": { schema: ErrorEnvelope } } } } : {}),
});

export function registerEventRoutes(registry: OpenAPIRegistry): void {
  registry.register("JobEvent", JobEventSchema);
  const tags = ["Live events"];
  const security = [{ bearerAuth: [] }];
  registry.registerPath({
    method: "get",
    path: "/v1/events",
    operationId: "streamEvents",
    tags,
    security,
    "x-required-scope": "sync:read",
    summary: "Live job events of every sync, one integration or one sync (scope sync:read)",
    request: { query: EventsQuery },
    responses: { 200: streamOf("An endless `text/event-stream`."), ...errors() },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/syncJobs/{_syncJobId}/events",
    operationId: "streamSyncJobEvents",
    tags,
    security,
    "x-required-scope": "sync:read",
    summary: "Live events of one sync job and its table jobs (scope sync:read)",
    request: { params: z.object({ _syncJobId: hexId("Sync job id.") }) },
    responses: {
      200: streamOf(
        "A `text/event-stream` that ends with the job: after the `job` event of its final status comes `event: end`, and the " +
          "server closes the stream (close your EventSource on `end`, or it reconnects). A job that has ended already gets its " +
          "final status and `end` at once.",
      ),
      ...errors("Unknown job (`invalid_ref`)."),
    },
  });
}
