/** The one error type the API maps to HTTP; anything else becomes a generic 500 with no internals. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field?: string; source?: string; [extra: string]: unknown } = {},
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string, field?: string) =>
  new ApiError(404, code, message, field ? { field } : {});
export const badRequest = (message: string, field?: string, code = "invalid_parameter") =>
  new ApiError(400, code, message, field ? { field } : {});
