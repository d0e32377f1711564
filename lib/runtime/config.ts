/** Every tunable in one place, read from the environment with defaults that suit a laptop. */
const num = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === "" || Number.isNaN(Number(v)) ? fallback : Number(v);
};

export const config = {
  /** Table jobs one worker process runs at once. */
  tableConcurrency: () => num("TABLE_CONCURRENCY", 4),
  /** How long a claimed table stays ours without a heartbeat. */
  leaseMs: () => num("LEASE_MS", 15_000),
  heartbeatMs: () => num("HEARTBEAT_MS", 3_000),
  /** Polling fallback when a NOTIFY is missed (and how expired leases are noticed). */
  pollMs: () => num("WORKER_POLL_MS", 1_000),
  maxAttempts: () => num("MAX_ATTEMPTS", 5),
  retryBaseMs: () => num("RETRY_BASE_MS", 250),
  /** Attempts when the failure was a lost or refused connection: enough backoff to outlast a database restart (about 30 s). */
  connectionAttempts: () => num("CONNECTION_ATTEMPTS", 8),
  /** How long a statement in an external warehouse waits for a lock another session holds (a LOCK TABLE, VACUUM FULL) before the attempt fails and is retried. */
  warehouseLockWaitMs: () => num("WAREHOUSE_LOCK_WAIT_MS", 30_000),
  batchSize: () => num("BATCH_SIZE", 5_000),
  retentionDays: () => num("RETENTION_DAYS", 30),
  rateLimitPerMinute: () => num("RATE_LIMIT_PER_MINUTE", 600),
  /** How long creating a replication slot may wait for transactions open on the source before the run retries. */
  slotCreateWaitMs: () => num("SLOT_CREATE_WAIT_MS", 30_000),
};
