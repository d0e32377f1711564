import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { route } from "../../lib/api/handler";
import { ERROR_STATUS } from "../../lib/api/error-status";
import { assertPasswordFits } from "../../lib/auth/passwords";
import { parseConnectionUrl } from "../../lib/connections/target";
import { DomainError, ERROR_CODES, type ErrorCode } from "../../lib/errors";

/**
 * Domain code throws DomainError with a code and no status; the route wrapper alone turns it into
 * HTTP. These call the real wrapper with anonymous handlers (no server, no database needed).
 */

const call = async (fn: () => unknown, opts: Parameters<typeof route>[0] = { scope: null }) => {
  const handler = route(opts, async () => {
    await fn();
    return new Response("unreachable");
  });
  const res = await handler(new NextRequest("http://localhost/v1/test", { method: "GET" }), { params: Promise.resolve({}) });
  return { status: res.status, headers: res.headers, body: await res.json() };
};

describe("domain errors through the route wrapper", () => {
  it("answers each code with the status the API has always given it, in the envelope", async () => {
    // The wire contract clients and the OpenAPI document rely on (a changed row here is a breaking change).
    const promised: Partial<Record<ErrorCode, number>> = {
      invalid_parameter: 400,
      missing_required_field: 400,
      own_database: 400,
      invalid_credentials: 401,
      insufficient_scope: 403,
      sync_job_not_cancellable: 403,
      invalid_ref: 404,
      schedule_not_found: 404,
      sync_job_already_queued: 409,
      sync_job_active: 409,
      replication_cleanup_failed: 409,
      payload_too_large: 413,
      unsupported_media_type: 415,
      invalid_sync: 422,
      connection_failed: 422,
      rate_limit_exceeded: 429,
      internal_error: 500,
      database_unavailable: 503,
    };
    for (const [code, status] of Object.entries(promised)) expect(ERROR_STATUS[code as ErrorCode], code).toBe(status);

    for (const code of ERROR_CODES) {
      const res = await call(() => {
        throw new DomainError(code, `a ${code}`, { field: "name" });
      });
      expect(res.status, code).toBe(ERROR_STATUS[code]);
      expect(res.body, code).toEqual({ errors: [{ code, message: `a ${code}`, field: "name" }] });
    }
  });

  it("maps what real services throw: a malformed url and an over-long password are 400s naming the field", async () => {
    const url = await call(() => parseConnectionUrl("mysql://db.example/shop", "source.url"));
    expect(url.status).toBe(400);
    expect(url.body).toEqual({
      errors: [{ code: "invalid_parameter", message: "source.url: must start with postgres:// or postgresql://", field: "source.url" }],
    });

    const password = await call(() => assertPasswordFits("p".repeat(73), "newPassword"));
    expect(password.status).toBe(400);
    expect(password.body.errors[0]).toMatchObject({ code: "invalid_parameter", field: "newPassword" });
  });

  it("sends retryAfterSeconds as a Retry-After header and other details in the body", async () => {
    const res = await call(() => {
      throw new DomainError("sync_job_already_queued", "busy", { _syncJobId: "j1", status: undefined, retryAfterSeconds: 7 });
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.body).toEqual({ errors: [{ code: "sync_job_already_queued", message: "busy", _syncJobId: "j1" }] });
  });

  it("lets a route answer one code with another status (a wrong current password is a 400, not a sign-in 401)", async () => {
    const wrong = () => {
      throw new DomainError("invalid_credentials", "wrong", { field: "currentPassword" });
    };
    expect((await call(wrong)).status).toBe(401);
    expect((await call(wrong, { scope: null, statusOverrides: { invalid_credentials: 400 } })).status).toBe(400);
  });

  it("turns a zod failure into invalid_parameter naming the path, and anything else into a 500 that hides its message", async () => {
    const zod = await call(() => z.object({ limit: z.number() }).parse({ limit: "x" }));
    expect(zod.status).toBe(400);
    expect(zod.body.errors[0]).toMatchObject({ code: "invalid_parameter", field: "limit" });

    const unknown = await call(() => {
      throw new Error("connect postgres://app:hunter2@db/app failed");
    });
    expect(unknown.status).toBe(500);
    expect(unknown.body).toEqual({ errors: [{ code: "internal_error", message: "Something went wrong on our side" }] });
  });
});
