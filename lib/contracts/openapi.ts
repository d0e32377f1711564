import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { registerAuditRoutes } from "./audit";
import { registerConnectionRoutes } from "./connections";
import { registerEventRoutes } from "./events";
import { registerJobRoutes } from "./jobs";
import { registerManagementRoutes } from "./management";
import { registerOverviewRoutes } from "./overview";
import { registerReplicationRoutes } from "./replication";
import { registerReportRoutes } from "./reports";
import { registerScheduleRoutes } from "./schedules";
import { registerUserRoutes } from "./users";

type Document = ReturnType<OpenApiGeneratorV31["generateDocument"]>;
let cached: Document | undefined;

/**
 * The /v1 OpenAPI 3.1 document, generated from the zod schemas the handlers validate with,
 * so it cannot drift from the wire. Built once per process.
 */
export function openApiDocument(): Document {
  cached ??= build();
  return cached;
}

function build(): Document {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key token (`sc_…`), created with `POST /v1/apiKeys` or `npm run cli -- api-key create`.",
  });
  registry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "sc_session",
    description: "The dashboard's session cookie (set by signing in); writes also need the `x-csrf-token` header.",
  });
  registerManagementRoutes(registry);
  registerScheduleRoutes(registry);
  registerJobRoutes(registry);
  registerReportRoutes(registry);
  registerReplicationRoutes(registry);
  registerEventRoutes(registry);
  registerConnectionRoutes(registry);
  registerUserRoutes(registry);
  registerOverviewRoutes(registry);
  registerAuditRoutes(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Sync Console API",
      version: "1.0.0",
      description:
        "Run and watch data syncs, and manage integrations, syncs, users and API keys. Errors use the envelope " +
        '`{"errors":[{code,message,field?}]}`, except 401, whose body is a bare `{"message"}`.',
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
  });
}
