"use client";

/** An API failure as the UI shows it: the envelope's first message, its code and the HTTP status. */
export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken = "";
let onUnauthorized: () => void = () => {};

/** Set once by the session provider: every non-GET echoes the session's CSRF token. */
export function configureApiClient(opts: { csrfToken: string; onUnauthorized: () => void }): void {
  csrfToken = opts.csrfToken;
  onUnauthorized = opts.onUnauthorized;
}

export type ApiResponse<T> = { data: T; status: number; headers: Headers };

/** Calls our own API with the session cookie. 204 yields `null`. Errors throw ApiClientError. */
export async function apiRequest<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<ApiResponse<T>> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") headers["x-csrf-token"] = csrfToken;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (e) {
    if ((e as Error)?.name === "AbortError") throw e;
    throw new ApiClientError(0, "network_error", "Cannot reach the server. Check your connection and try again.");
  }
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith("/api/auth/")) onUnauthorized();
    throw toError(res.status, body);
  }
  return { data: (res.status === 204 ? null : body) as T, status: res.status, headers: res.headers };
}

function toError(status: number, body: unknown): ApiClientError {
  const first = (body as { errors?: { code?: unknown; message?: unknown }[] } | null)?.errors?.[0];
  if (first && typeof first.message === "string") {
    const { code, message, ...rest } = first as Record<string, unknown>;
    return new ApiClientError(status, String(code ?? "error"), message as string, rest);
  }
  const bare = (body as { message?: unknown } | null)?.message;
  if (typeof bare === "string") return new ApiClientError(status, status === 401 ? "unauthorized" : "error", bare);
  return new ApiClientError(status, "error", `Request failed with status ${status}`);
}

export const apiGet = async <T>(path: string, signal?: AbortSignal): Promise<T> => (await apiRequest<T>(path, { signal })).data;
export const apiSend = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
  (await apiRequest<T>(path, { method, body })).data;

/** A message fit for a toast or an inline error, whatever was thrown. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : typeof e === "string" ? e : "Something went wrong");

/** Builds a query string from defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : "";
}
