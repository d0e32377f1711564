/**
 * The job state machine: every transition of a sync job and its table jobs lives in this folder
 * (claim and lease in lease.ts, a table's outcomes in table-job.ts, cancel in cancel.ts, the
 * parent's outcome in finalize.ts). Status constants come from db/schema.ts.
 */
export { CHANNELS, type JobEvent } from "./channels";
export { requestCancel, reapAbandonedCancels } from "./cancel";
export { finalizeJobIfDone } from "./finalize";
export { claimTable, holdLease, leaseOf, renewLeases, type ClaimedTable, type Lease } from "./lease";
export { notify, notifyWork } from "./notify";
export {
  cancelTable,
  completeTable,
  datasetId,
  failTable,
  landedOf,
  notifyProgress,
  recordBatch,
  recordLanded,
  releaseTable,
  requeueTable,
  updateRunningTable,
  whileHeld,
  type LandedState,
  type RejectedRecord,
} from "./table-job";
