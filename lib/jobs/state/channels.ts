/**
 * NOTIFY channels. Every web instance and worker listens on the same Postgres,
 * so any process sees any other's triggers, cancels and progress.
 */
export const CHANNELS = {
  /** A table job became claimable (payload: sync job id). Wakes idle workers. */
  work: "sync_work",
  /** A job was asked to cancel (payload: sync job id). Running workers stop that job's tables. */
  cancel: "sync_cancel",
  /** Something observable changed (payload: JSON JobEvent). Feeds the SSE streams. */
  events: "sync_events",
} as const;

export type JobEvent = {
  syncJobId: string;
  syncId: string;
  integrationId?: string;
  tableJobId?: string;
  status?: string;
  kind: "job" | "table" | "progress";
};
