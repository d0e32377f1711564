import type postgres from "postgres";
import {
  cancelTable,
  type ClaimedTable,
  completeTable,
  failTable,
  holdLease,
  landedOf,
  type Lease,
  leaseOf,
  type RejectedRecord,
  notifyProgress,
  recordBatch,
  recordLanded,
  releaseTable,
  requeueTable,
  updateRunningTable,
  whileHeld,
} from "@/lib/jobs/state";
import { config } from "@/lib/runtime/config";
import { log } from "@/lib/runtime/log";
import { destinationSchema, type DestinationConfig } from "@/lib/contracts/sync-config";
import { assertStillAllowed } from "./allowed-targets";
import { crashPoint } from "./crash-point";
import { atMost } from "./sleep";
import { sourceFor } from "./sources";
import { type Batch, type Column, type ExtractPlan, FatalSourceError, TransientSourceError } from "./sources/types";
import {
  BatchEncoder,
  copyInto,
  deleteKeys,
  type EncodedBatch,
  encodeBatch,
  isDuplicateKey,
  isEmpty,
  upsertRows,
  yieldToIo,
} from "./warehouse/load";
import { qualified } from "./warehouse/ident";
import type { Warehouses } from "./warehouse/pool";
import { createShadow, dropShadow, type KeyCounts, prepareSwap, replaceFromShadow, shadowName, writtenColumns } from "./warehouse/resync";
import { SchemaChangeRefused } from "./warehouse/schema-changes";
import {
  addBatch,
  ensureStateTables,
  FencedOut,
  fenceHeld,
  holdFence,
  type Landed,
  openAttempt,
  readLanded,
  rejectedBetween,
} from "./warehouse/state";
import { pipelinedTransaction } from "./warehouse/pipelined";
import { prepareTable } from "./warehouse/table";
import { isConnectionLoss, publicErrorMessage } from "@/lib/connections/public-error";
import { asConnectionRefused, isDeterministic, LoadRefused } from "./warehouse/refused";

/** Why a running table stopped early. */
export type StopReason = "cancel" | "lease-lost" | "shutdown";

/**
 * Batches a resync lands side by side. Its shadow has no key and no reader, and COPY into it keeps
 * one core busy in Postgres while the source, on the other, needs only about half of its own: a
 * second COPY beside the first uses the rest. (A load into the live table keeps one lane: its
 * readers see batches in order, and a first load may have to fall back to the upsert mid-way.)
 */
export const RESYNC_LANES = 2;

class LeaseLost extends Error {}
class CancelRequested extends Error {}

type Ctx = { sql: postgres.Sql; warehouses: Warehouses; workerId: string; signal: AbortSignal; requeueAt: (ms: number) => void };

/** One table job's run, with what every step needs. */
type Run = {
  ctx: Ctx;
  claim: ClaimedTable;
  lease: Lease;
  dest: DestinationConfig;
  wh: postgres.Sql;
  resync: boolean;
  /** Where batches land: the live table, or the resync's shadow. */
  target: string;
  /**
   * The warehouse is a schema of the control plane's own database: each batch's rows, counters,
   * error records and checkpoint commit in ONE transaction there. Otherwise the warehouse keeps its
   * own account (warehouse/state.ts) and the control plane follows it in a second transaction.
   */
  own: boolean;
  /**
   * "copy": COPY straight into the target — the shadow of a resync, or a table that held no row when
   * this attempt began (a first load). "upsert": through a staging table, on the primary key.
   */
  mode: "copy" | "upsert";
  /** When live views were last told this table moved on (own database; the other path tells them per batch). */
  toldAt: number;
};

/**
 * Runs one claimed table job to an end: completed, failed, canceled, requeued for retry, or
 * abandoned (lease lost). On the own database each batch's rows commit with the table job's
 * counters and checkpoint; in another database they commit with the warehouse's own account of
 * what landed (warehouse/state.ts), and the control plane's counters and cursor follow from it.
 */
export async function runTableJob(ctx: Ctx, claim: ClaimedTable): Promise<void> {
  const dest = destinationSchema.parse(claim.destination);
  const resync = claim.run_type === "resync";
  const run: Run = {
    ctx,
    claim,
    lease: leaseOf(claim, ctx.workerId),
    dest,
    wh: ctx.warehouses.for(dest),
    resync,
    target: resync ? shadowName(claim.id) : claim.table_name,
    own: !dest.url,
    mode: "upsert",
    toldAt: 0,
  };
  try {
    await assertStillAllowed(claim.source, dest);
    await ensureStateTables(run.wh, dest.schema);
    let landed = run.own ? await openOwn(run) : await openAttempt(run.wh, dest.schema, claim);
    if (!run.own) await account(run, landed); // catch up with a batch an earlier attempt landed but did not account for
    if (landed.phase === "merged") return await complete(run, landed, landed.cursor, null);

    const plan = await untilAborted(planFor(run, landed), ctx.signal);
    // `fail` guards the warehouse against changes no one looked at; a full resync is someone asking for
    // the table as the source has it now, so it takes them (and is how a refused change gets in).
    const policy = resync ? "propagate" : claim.schema_changes;
    const prepared = await prepareTable(run.wh, dest.schema, claim.table_name, plan.columns, plan.primaryKey, policy, {
      create: !resync,
      incremental: !resync && plan.incremental,
    });
    if (resync) await createShadow(run.wh, dest.schema, claim.table_name, run.target, plan.columns, plan.primaryKey);
    // A table with no row yet takes the batches as plain COPY; a key that turns up twice after all
    // (a source row that moved during the scan) sends that batch, and the rest, through the upsert.
    run.mode = resync || (!prepared.dropped.length && (await isEmpty(run.wh, dest.schema, claim.table_name))) ? "copy" : "upsert";
    await updateRunningTable(ctx.sql, run.lease, {
      progressTotal: plan.total,
      ...(prepared.changes.length ? { schemaChanges: prepared.changes } : {}),
    });

    const keyTypes = plan.primaryKey.map((k) => plan.columns.find((c) => c.name === k)?.type ?? "text");
    const land = (prior: Promise<Landed>, batch: EncodedBatch) =>
      landBatch(run, plan.columns, plan.primaryKey, prepared.dropped, keyTypes, prior, batch);
    // A pipeline: while batch k lands, the source produces and encodes batch k+1 (and, into another
    // database, the control plane accounts for batch k-1). At most one account is in flight, and the
    // warehouse keeps every refused record until it is accounted for, so a crash anywhere in between
    // still loses and repeats nothing. A resync lands two batches side by side (RESYNC_LANES), each
    // committing only after the one before it, so what has committed is always a prefix.
    const lanes = resync ? RESYNC_LANES : 1;
    const landing: { batch: EncodedBatch; done: Promise<Landed> }[] = [];
    let accounting: Promise<void> = Promise.resolve();
    const settleOldest = async () => {
      const { batch, done } = landing[0];
      landed = await done;
      landing.shift();
      await accounting;
      crashPoint("after-warehouse-commit");
      if (run.own) tellProgress(run);
      else {
        accounting = account(run, landed, batch.rejected);
        accounting.catch(() => {}); // surfaced by the next await
      }
    };
    try {
      for await (const batch of prefetch(encoded(abortable(plan.batches(ctx.signal), ctx.signal), plan, config.batchSize()))) {
        const done = land(landing.at(-1)?.done ?? Promise.resolve(landed), batch);
        done.catch(() => {}); // surfaced by settleOldest
        landing.push({ batch, done });
        if (landing.length >= lanes) await settleOldest();
        if (ctx.signal.aborted) break;
      }
      while (landing.length) await settleOldest();
    } catch (e) {
      // Nothing may still be writing when the failure is settled (it may drop the shadow); what
      // landed is accounted for first.
      await Promise.allSettled(landing.map((l) => l.done));
      await accounting.catch(() => {});
      throw e;
    }
    await accounting;
    if (ctx.signal.aborted) throw stopError(ctx.signal);

    const finalCursor = plan.finalCursor(landed.batches ? landed.cursor : null);
    if (resync) {
      await updateRunningTable(ctx.sql, run.lease, { stage: "swapping" });
      const written = writtenColumns(plan.columns, prepared.dropped);
      const counted = await prepareSwap(run.wh, dest.schema, claim.table_name, run.target, plan.primaryKey, written);
      if (run.own) return await completeOwnResync(run, plan.columns, plan.primaryKey, prepared.dropped, counted, landed, finalCursor, plan);
      landed = await mergeIntoLive(run, plan.columns, plan.primaryKey, prepared.dropped, counted, finalCursor);
    }
    await complete(run, landed, finalCursor, plan);
  } catch (e) {
    await settleFailure(run, e);
  }
}

/**
 * Own database: the control plane's table job is the account. A warehouse state row can only be
 * left by an earlier version that kept a second account here too; if it is ahead, catch up first.
 */
async function openOwn(run: Run): Promise<Landed> {
  const earlier = await readLanded(run.wh, run.dest.schema, run.claim.id);
  if (earlier) {
    await account(run, earlier);
    if (earlier.phase === "merged") return earlier;
  }
  return { ...(await landedOf(run.ctx.sql, run.claim.id)), phase: "loading" };
}

/**
 * Splits off refused records and encodes each batch for COPY as it comes from the source; a batch
 * that comes in slices is encoded slice by slice, yielding to I/O after each (as encodeBatch does
 * between its own slices), and handed on whole after its last slice.
 */
async function* encoded(source: AsyncIterable<Batch>, plan: ExtractPlan, batchSize: number): AsyncIterable<EncodedBatch> {
  let gathering: BatchEncoder | null = null;
  for await (const slice of source) {
    if (!slice.partial && !gathering) {
      yield await encodeBatch(slice, plan.columns, plan.primaryKey);
      continue;
    }
    gathering ??= new BatchEncoder(plan.columns, plan.primaryKey, batchSize);
    gathering.add(slice.rows, slice.deletes);
    if (slice.partial) await yieldToIo();
    else {
      yield gathering.done(slice.cursor);
      gathering = null;
    }
  }
  // Rows without the cursor that commits them cannot land: a source bug, not a reason to lose them quietly.
  if (gathering) throw new Error("the source ended in the middle of a batch");
}

/** At most one progress hint every 250 ms per table, never waited for. */
function tellProgress(run: Run) {
  const now = Date.now();
  if (now - run.toldAt < 250) return;
  run.toldAt = now;
  notifyProgress(run.ctx.sql, run.claim).catch((e) =>
    log.warn("progress notification failed", { tableJobId: run.claim.id, err: String(e) }),
  );
}

async function planFor(run: Run, landed: Landed): Promise<ExtractPlan> {
  const { ctx, claim } = run;
  const [cp] = await ctx.sql<{ cursor: unknown }[]>`
    select cursor from checkpoints where sync_id = ${claim.sync_id} and table_name = ${claim.table_name}`;
  return sourceFor(claim.source).plan({
    syncId: claim.sync_id,
    tableName: claim.table_name,
    runType: claim.run_type,
    checkpoint: cp?.cursor ?? null,
    resumeFrom: landed.batches ? landed.cursor : null,
    attempt: claim.num_attempts,
    batchSize: config.batchSize(),
    // Read in a transaction that takes an xid, so its commit flushes the WAL up to here: checkpoints
    // that other tables committed without waiting for the flush are durable before a slot moves past them.
    syncCheckpoints: () =>
      ctx.sql.begin(async (tx) => {
        await tx`select pg_current_xact_id()`;
        const rows = await tx<{ table_name: string; cursor: unknown }[]>`
          select table_name, cursor from checkpoints where sync_id = ${claim.sync_id}`;
        return new Map(rows.map((r) => [r.table_name, r.cursor]));
      }) as Promise<Map<string, unknown>>,
  });
}

/**
 * One batch into the warehouse, in one transaction: rows and deletes, with the table's account —
 * the control plane's table job on the own database, the warehouse's state row on another one.
 */
async function landBatch(
  run: Run,
  columns: Column[],
  primaryKey: string[],
  dropped: string[],
  keyTypes: string[],
  prior: Promise<Landed>,
  batch: EncodedBatch,
): Promise<Landed> {
  const { claim, dest } = run;
  const write = async (tx: postgres.ReservedSql) => {
    // A resync's rows go to the shadow; whether they are inserts or updates is known only at the merge.
    let inserted = 0;
    let updated = 0;
    if (run.mode === "copy") {
      await copyInto(tx, qualified(dest.schema, run.target), columns, batch.copy);
      if (!run.resync) inserted = batch.accepted;
    } else
      ({ inserted, updated } = await upsertRows(
        tx,
        { schema: dest.schema, table: run.target, tableJobId: claim.id },
        columns,
        primaryKey,
        dropped,
        batch.copy,
      ));
    const deleted = await deleteKeys(tx, dest.schema, run.target, primaryKey, keyTypes, batch.deletes);
    return {
      cursor: batch.cursor,
      extracted: batch.extracted,
      loaded: batch.accepted + deleted,
      inserted,
      updated,
      deleted,
      rejected: batch.rejected,
    };
  };
  try {
    if (!run.own) {
      const landed = await pipelinedTransaction(run.wh, {
        guard: (tx) => fenceHeld(tx, dest.schema, claim.id, claim.num_attempts),
        allows: (held) => held,
        work: write,
        finish: (tx, _held, b) => addBatch(tx, dest.schema, claim.id, claim.num_attempts, b),
        prior,
        overlap: run.resync,
      });
      if (!landed.ok) throw new FencedOut();
      return landed.result;
    }
    const landed = await pipelinedTransaction(run.ctx.sql, {
      guard: (tx) => holdLease(tx, run.lease),
      allows: (state) => state !== "lost", // lost: rolled back; canceling: this batch still counts
      work: write,
      prior,
      overlap: run.resync,
      finish: async (tx, _state, b, before) => {
        const after: Landed = {
          phase: "loading",
          batches: before.batches + 1,
          cursor: b.cursor,
          extracted: before.extracted + b.extracted,
          loaded: before.loaded + b.loaded,
          inserted: before.inserted + b.inserted,
          updated: before.updated + b.updated,
          deleted: before.deleted + b.deleted,
          errors: before.errors + b.rejected.length,
        };
        // Cannot find the lease changed: the guard holds its row locked until the commit.
        await recordBatch(tx, run.lease, claim, after, b.rejected);
        return after;
      },
    });
    if (!landed.ok) throw new LeaseLost();
    if (landed.guard === "canceling") throw new CancelRequested(); // the batch is in, with its counters
    return landed.result;
  } catch (e) {
    if (run.mode !== "copy" || run.resync || !isDuplicateKey(e)) throw e;
    run.mode = "upsert";
    return landBatch(run, columns, primaryKey, dropped, keyTypes, prior, batch);
  }
}

/** The resync's last step, in one warehouse transaction: live := shadow, counted, with the final cursor. */
async function mergeIntoLive(
  run: Run,
  columns: Column[],
  primaryKey: string[],
  dropped: string[],
  counted: KeyCounts | null,
  finalCursor: unknown,
): Promise<Landed> {
  const { claim, dest } = run;
  return run.wh.begin(async (tx) => {
    await holdFence(tx, dest.schema, claim.id, claim.num_attempts);
    const merged = await replaceFromShadow(tx, dest.schema, claim.table_name, run.target, columns, primaryKey, dropped, counted);
    return addBatch(tx, dest.schema, claim.id, claim.num_attempts, {
      cursor: finalCursor,
      extracted: 0,
      loaded: 0,
      inserted: merged.inserted,
      updated: merged.updated,
      deleted: merged.deleted,
      rejected: [],
      phase: "merged",
    });
  }) as Promise<Landed>;
}

/** Records what landed in the control plane, reading refused records from the warehouse. */
const record = (run: Run, landed: Landed, lastBatch?: RejectedRecord[]) => (tx: postgres.TransactionSql) =>
  recordLanded(tx, run.claim, landed, (after, upTo) => rejectedBetween(run.wh, run.dest.schema, run.claim.id, after, upTo), lastBatch);

/**
 * Copies the warehouse's account into the control plane; stops the run if the table is being
 * canceled or was lost. Committed without waiting for the WAL flush: the warehouse is the record,
 * and whoever resumes the table catches the control plane up from it.
 */
async function account(run: Run, landed: Landed, lastBatch?: RejectedRecord[]) {
  const write = record(run, landed, lastBatch);
  const state = await whileHeld(run.ctx.sql, run.lease, write, write, { asyncCommit: true });
  if (state === "lost") throw new LeaseLost();
  if (state === "canceling") throw new CancelRequested();
}

/**
 * Own database, the resync's last step: live := shadow, its counts, the table's completion and the
 * checkpoint in ONE transaction. Once it holds the lease a cancel is too late, as in complete().
 */
async function completeOwnResync(
  run: Run,
  columns: Column[],
  primaryKey: string[],
  dropped: string[],
  counted: KeyCounts | null,
  landed: Landed,
  finalCursor: unknown,
  plan: ExtractPlan,
) {
  const { claim, dest } = run;
  const finish = async (tx: postgres.TransactionSql) => {
    const merged = await replaceFromShadow(tx, dest.schema, claim.table_name, run.target, columns, primaryKey, dropped, counted);
    const after = {
      ...landed,
      batches: landed.batches + 1,
      cursor: finalCursor,
      inserted: landed.inserted + merged.inserted,
      updated: landed.updated + merged.updated,
      deleted: landed.deleted + merged.deleted,
    };
    await recordLanded(tx, claim, after, async () => []);
    await completeTable(tx, claim, finalCursor);
  };
  const state = await whileHeld(run.ctx.sql, run.lease, finish, finish);
  if (state === "lost") return;
  await plan.onCompleted?.(finalCursor).catch((e) => log.warn("after-completion step failed", { tableJobId: claim.id, err: String(e) }));
}

async function complete(run: Run, landed: Landed, finalCursor: unknown, plan: ExtractPlan | null) {
  // Everything has landed: a cancel that arrives now is too late to undo it, so the table completes either way.
  const finish = async (tx: postgres.TransactionSql) => {
    await record(run, landed)(tx);
    await completeTable(tx, run.claim, finalCursor);
  };
  const state = await whileHeld(run.ctx.sql, run.lease, finish, finish);
  if (state === "lost") return;
  await plan
    ?.onCompleted?.(finalCursor)
    .catch((e) => log.warn("after-completion step failed", { tableJobId: run.claim.id, err: String(e) }));
}

/** A source call the run stops waiting for once it is aborted (the call winds down on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(stopError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(stopError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const stopError = (signal: AbortSignal) => (signal.reason === "cancel" ? new CancelRequested() : new LeaseLost());

/** Keeps the next item in production while the consumer works on the current one (one ahead, so memory stays flat). */
async function* prefetch<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      next.catch(() => {}); // surfaced when awaited
      yield r.value;
    }
  } finally {
    void Promise.resolve(it.return?.()).catch(() => {});
  }
}

/**
 * Stops waiting for a source the moment the run is aborted (cancel, lost lease, shutdown), even
 * while the source is inside a slow query: the table settles at once and the source winds down behind it.
 */
async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
  const it = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await orAbort(it.next(), signal);
      if (next === "aborted" || next.done) return;
      yield next.value;
    }
  } finally {
    void Promise.resolve(it.return?.()).catch(() => {});
  }
}

/**
 * `work`, or "aborted" as soon as the signal fires. Not `Promise.race` with one long-lived abort
 * promise: every race leaves a reaction on that promise which keeps the race's result — here each
 * batch — reachable until the run ends, so memory grew with the table.
 */
function orAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T | "aborted"> {
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** How long settling a failed attempt waits for the warehouse (its account, dropping a resync's shadow). */
const SETTLE_WAIT_MS = 10_000;

async function settleFailure(run: Run, failure: unknown) {
  const { ctx, claim, lease } = run;
  const e = asConnectionRefused(failure, run.dest);
  const reason = ctx.signal.aborted ? (ctx.signal.reason as StopReason) : null;
  if (reason === "shutdown") return releaseForShutdown(run);
  // Lease lost (or fenced out in the warehouse): another worker owns the table and resumes it from what landed.
  if (e instanceof LeaseLost || e instanceof FencedOut || reason === "lease-lost") return;
  const cancel = async (tx: postgres.TransactionSql) => {
    await cancelTable(tx, claim);
  };
  try {
    // Batches that landed before a cancel or a failure count, and a normal run's checkpoint covers them.
    // (On the own database every committed batch is accounted for already.)
    // Bounded, like every warehouse wait here: settling goes on without it, and the next attempt
    // catches up from the warehouse's account anyway.
    const landed = run.own
      ? null
      : await atMost(
          readLanded(run.wh, run.dest.schema, claim.id).catch(() => null),
          SETTLE_WAIT_MS,
          null,
        );
    const catchUp = async (tx: postgres.TransactionSql) => {
      if (landed) await record(run, landed)(tx);
    };
    if (e instanceof CancelRequested || reason === "cancel") {
      await ctx.sql.begin(async (tx) => {
        if ((await holdLease(tx, lease)) === "lost") return;
        await catchUp(tx);
        await cancel(tx);
      });
      if (run.resync)
        await atMost(
          dropShadow(run.wh, run.dest.schema, run.target).catch(() => {}),
          SETTLE_WAIT_MS,
          undefined,
        );
      return;
    }
    const message = publicErrorMessage(e); // stored and shown: no host probing, no credentials
    const fatal = e instanceof FatalSourceError || e instanceof SchemaChangeRefused || e instanceof LoadRefused || isDeterministic(e);
    // A lost connection (a database restarting, a failover) gets more attempts, whose backoff adds
    // up to about 30 s with the defaults: five attempts would give up within 4 s.
    const warehouseLost = !(e instanceof TransientSourceError) && !fatal && isConnectionLoss(e);
    const lost = warehouseLost || (e instanceof TransientSourceError && e.connectionLost);
    const attempts = lost ? Math.max(config.maxAttempts(), config.connectionAttempts()) : config.maxAttempts();
    if (!fatal && claim.num_attempts < attempts) {
      const backoff = Math.min(config.retryBaseMs() * 2 ** (claim.num_attempts - 1), 30_000);
      if (!(e instanceof TransientSourceError))
        log.warn("table attempt failed; retrying", { tableJobId: claim.id, attempt: claim.num_attempts, err: message });
      const state = await whileHeld(ctx.sql, lease, (tx) => requeueTable(tx, claim, backoff, message), cancel);
      if (state === "held") ctx.requeueAt(backoff);
      return;
    }
    const code =
      e instanceof FatalSourceError || e instanceof TransientSourceError || e instanceof SchemaChangeRefused || e instanceof LoadRefused
        ? e.code
        : warehouseLost
          ? "WAREHOUSE_UNREACHABLE"
          : sqlStateOf(e) === "55P03"
            ? "WAREHOUSE_TABLE_LOCKED"
            : ["42P01", "3F000"].includes(sqlStateOf(e) as string)
              ? "WAREHOUSE_TABLE_MISSING"
              : "LOAD_FAILED";
    const scope = e instanceof FatalSourceError || e instanceof TransientSourceError ? "extract" : "load";
    if (code === "LOAD_FAILED") log.error("table failed while loading", { tableJobId: claim.id, err: message });
    const said =
      code === "WAREHOUSE_TABLE_LOCKED"
        ? `Another session kept a lock on warehouse table ${run.dest.schema}.${claim.table_name} on every attempt (a long query while a resync swaps it in, ` +
          `a LOCK TABLE, a VACUUM FULL); run again once it is done. The server said: ${message}`
        : code === "WAREHOUSE_TABLE_MISSING" && !(e instanceof LoadRefused)
          ? `The warehouse schema ${run.dest.schema} or one of its tables was dropped while the table loaded; run again ` +
            `(a resync if the warehouse table itself is gone). The server said: ${message}`
          : message;
    await whileHeld(
      ctx.sql,
      lease,
      async (tx) => (await catchUp(tx), await failTable(tx, claim, { code, message: said, scope })),
      async (tx) => (await catchUp(tx), await cancel(tx)),
    );
    if (run.resync)
      await atMost(
        dropShadow(run.wh, run.dest.schema, run.target).catch(() => {}),
        SETTLE_WAIT_MS,
        undefined,
      );
  } catch (err) {
    // Leave the table to lease expiry: another worker picks it up and settles it.
    log.error("could not settle table job", { tableJobId: claim.id, err: String(err) });
  }
}

const sqlStateOf = (e: unknown) => (e as { code?: unknown } | null)?.code;

/** A graceful stop hands the table back at once instead of waiting for the lease to expire. */
async function releaseForShutdown(run: Run) {
  await whileHeld(run.ctx.sql, run.lease, (tx) => releaseTable(tx, run.claim)).catch((err) =>
    log.warn("could not release table on shutdown", { tableJobId: run.claim.id, err: String(err) }),
  );
}
