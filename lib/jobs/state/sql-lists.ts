import { ACTIVE_STATUSES, TERMINAL_STATUSES } from "@/db/schema";

/**
 * Status lists spelled as SQL literals, generated from the constants in db/schema.ts. Literals
 * (not bound arrays) so that the planner can match the partial indexes whose predicates list them.
 */
const literals = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(",");
export const ACTIVE_SQL = literals(ACTIVE_STATUSES);
export const TERMINAL_SQL = literals(TERMINAL_STATUSES);
/** A table job a worker is moving (or stopping): what a lease covers. */
export const LEASED_SQL = literals(["running", "canceling"]);
