import pino from "pino";

/** Structured JSON logs on stdout. Never pass source configs here: they may hold credentials. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { pid: process.pid },
  redact: { paths: ["*.password", "*.url", "*.token", "*.source", "source"], censor: "[redacted]" },
});

type Fields = Record<string, unknown>;
export const log = {
  info: (msg: string, fields: Fields = {}) => logger.info(fields, msg),
  warn: (msg: string, fields: Fields = {}) => logger.warn(fields, msg),
  error: (msg: string, fields: Fields = {}) => logger.error(fields, msg),
  debug: (msg: string, fields: Fields = {}) => logger.debug(fields, msg),
};
