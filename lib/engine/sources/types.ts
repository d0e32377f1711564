/** A destination column, derived from the source's own description of its data. */
export type Column = {
  name: string;
  type: string;
  notNull: boolean;
  /** The source's own type when the warehouse's differs (an enum stored as text): source queries cast to it. */
  sourceType?: string;
};

export type Row = unknown[];

/**
 * One slice of extracted rows and the cursor that is valid once they are committed. `rows` are
 * upserted on the primary key; `deletes` (change data capture) are the keys (one value per key
 * column) of rows deleted at the source. A key appears at most once across both: the source keeps its last change.
 */
export type Batch = {
  rows: Row[];
  deletes?: (string | null)[][];
  cursor: unknown;
  /**
   * More slices of the same batch follow (their rows commit together with the last slice's, under
   * its cursor; this slice's cursor is not used). A source that makes rows in memory hands them
   * over in slices so the engine encodes them while they are fresh; one that fetches a batch at a
   * time sends it whole.
   */
  partial?: boolean;
};

export type ExtractPlan = {
  columns: Column[];
  /** The key's columns (several for a composite key); batches upsert on them. */
  primaryKey: string[];
  /** Rows this run will extract in all (for progress), when the source knows. */
  total: number | null;
  /** Rows already extracted by earlier attempts of this run (resume). */
  alreadyExtracted: number;
  batches: (signal: AbortSignal) => AsyncIterable<Batch>;
  /**
   * This run reads only what changed since the checkpoint, so it needs the rows earlier runs loaded:
   * a warehouse table that has gone missing cannot be rebuilt from it.
   */
  incremental?: boolean;
  /** Cursor to store as the table's checkpoint once the run has moved everything. */
  finalCursor: (last: unknown) => unknown;
  /**
   * Called once the table job has completed and its checkpoint is committed (CDC advances its
   * replication slot here). A failure is logged, never fatal: the next run starts from the checkpoint.
   */
  onCompleted?: (finalCursor: unknown) => Promise<void>;
};

export type ExtractRequest = {
  syncId: string;
  tableName: string;
  runType: "normal" | "resync";
  /** The sync's checkpoint for this table (null on the first run). */
  checkpoint: unknown | null;
  /** Where an earlier attempt of this same table job stopped (null on a fresh attempt). */
  resumeFrom: unknown | null;
  attempt: number;
  batchSize: number;
  /** Every table's checkpoint of this sync (CDC: the slot may only advance to the slowest table's position). */
  syncCheckpoints: () => Promise<Map<string, unknown>>;
};

export interface Source {
  plan(req: ExtractRequest): Promise<ExtractPlan>;
}

/** A failure worth retrying with backoff (network blips, throttling). */
export class TransientSourceError extends Error {
  readonly code = "TRANSIENT_SOURCE_ERROR";
  /** The connection was lost or could not be made (not a lock or a timeout): retried for longer, as a restart takes time. */
  readonly connectionLost: boolean;
  constructor(message: string, opts: { connectionLost?: boolean } = {}) {
    super(message);
    this.connectionLost = opts.connectionLost ?? false;
  }
}

/** The source refused for good: the table fails, with the source's code and message kept verbatim. */
export class FatalSourceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
