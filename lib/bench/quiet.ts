// Imported first by run.ts: the engine's pino logger reads LOG_LEVEL when it loads, and the
// bench's stdout should carry the results table, not a log line per worker start.
process.env.LOG_LEVEL ??= "warn";
