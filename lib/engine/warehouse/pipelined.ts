import type postgres from "postgres";

import { atMost } from "../sleep";

const ROLLBACK_WAIT_MS = 10_000;

/**
 * One batch's transaction in three round trips instead of five. BEGIN, the guard (a row lock that
 * says whether this worker may still write) and the first statement of the work go out together;
 * then the rest of the work (the COPY's bytes); then the last writes and COMMIT together. The
 * guard's lock is held to the end, so the last writes cannot find the guarded row changed and the
 * COMMIT need not wait for their answers; if any of them fails, Postgres turns the COMMIT into a
 * rollback and the first error is thrown. On a loaded machine every round trip is a wait for the
 * scheduler on both sides, so these are what a batch spends besides the COPY itself.
 *
 * Batches commit in order: `prior` is the transaction of the batch before, and `finish` gets its
 * result. With `overlap`, this one's work runs while the prior one is still open, on its own
 * connection; the guard is taken only once the prior has committed, so their commits cannot swap
 * (and if the prior fails, this one rolls back). That costs one round trip more (the guard on its
 * own), paid while the other connection works.
 *
 * Contract: the guard, `work` and `finish` start their statements with `.execute()` (postgres.js
 * otherwise sends a statement a few microtasks after it was made, so the order would depend on how
 * deep each caller's awaits are), and `finish` starts all of its statements before it first awaits.
 */
export async function pipelinedTransaction<G, W, F, P>(
  sql: postgres.Sql,
  steps: {
    guard: (tx: postgres.ReservedSql) => Promise<G>;
    /** Whether the guard lets the transaction commit; if not, the work is rolled back and `refused` returned. */
    allows: (g: G) => boolean;
    work: (tx: postgres.ReservedSql) => Promise<W>;
    finish: (tx: postgres.ReservedSql, guard: G, work: W, prior: P) => Promise<F>;
    prior: Promise<P>;
    overlap?: boolean;
  },
): Promise<{ ok: true; guard: G; result: F } | { ok: false; guard: G }> {
  const tx = await sql.reserve();
  let open = false;
  try {
    const begun = tx.unsafe("begin").execute();
    // With `overlap` the guard waits for the prior's commit (below); otherwise it goes out with BEGIN.
    const started = [begun, steps.overlap ? null : steps.guard(tx), steps.work(tx)] as const;
    open = true;
    // Every one settles before going on: the connection must be idle, never mid-COPY, when we decide.
    const [b, g, w] = await Promise.allSettled(started);
    for (const r of [b, g, w]) if (r.status === "rejected") throw r.reason;
    const prior = await steps.prior;
    const guard = steps.overlap ? await steps.guard(tx) : (g as PromiseFulfilledResult<G>).value;
    if (!steps.allows(guard)) {
      await tx.unsafe("rollback");
      open = false;
      return { ok: false, guard };
    }
    const finished = steps.finish(tx, guard, (w as PromiseFulfilledResult<W>).value, prior);
    const committed = tx.unsafe("commit").execute();
    const [f, c] = await Promise.allSettled([finished, committed]);
    open = false;
    if (f.status === "rejected") throw f.reason;
    if (c.status === "rejected") throw c.reason;
    if (c.value.command !== "COMMIT") throw new Error(`transaction ended with ${c.value.command}, not COMMIT`);
    return { ok: true, guard, result: f.value };
  } catch (e) {
    // Bounded: a connection that will never answer (its backend gone, its close not yet seen) must
    // not hold the table job forever; the server rolls back a transaction whose connection is lost.
    if (open)
      await atMost(
        tx
          .unsafe("rollback")
          .execute()
          .catch(() => {}),
        ROLLBACK_WAIT_MS,
        undefined,
      );
    throw e;
  } finally {
    tx.release();
  }
}
