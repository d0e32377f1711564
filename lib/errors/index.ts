export { ERROR_CODES, type ErrorCode } from "./codes";
export { conflict, DomainError, type ErrorDetails, forbidden, invalid, isDomainError, notFound } from "./domain-error";
