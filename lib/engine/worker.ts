import { pgTypes } from "@/db/client";
import { randomBytes } from "node:crypto";
import os from "node:os";
import postgres from "postgres";
import { config } from "@/lib/runtime/config";
import { log } from "@/lib/runtime/log";
import { CHANNELS, claimTable, reapAbandonedCancels, renewLeases } from "@/lib/jobs/state";
import { withNoDelay } from "./pg-socket";
import { RESYNC_LANES, runTableJob, type StopReason } from "./run-table";
import { Warehouses } from "./warehouse/pool";
import { dropShadow, shadowName } from "./warehouse/resync";
import { destinationSchema } from "@/lib/contracts/sync-config";

/** `canceledAt`: when its cancel was seen; `given up`: its lease is no longer renewed (see heartbeat). */
type Running = { syncJobId: string; abort: AbortController; done: Promise<void>; canceledAt?: number; givenUp?: boolean };

/**
 * A canceled table stops within about a second. One that has not after this long is stuck on
 * something that does not listen to its abort (a connection that will never answer): its lease is
 * no longer renewed, so once it expires the reaper settles the cancel without it. Its batches
 * cannot land after that: each commits only while it holds the lease.
 */
const CANCEL_GRACE_MS = 30_000;

/**
 * One worker loop: claims table jobs up to its concurrency, keeps their leases alive, and
 * reacts to NOTIFY (new work, cancels) with a short polling fallback for anything missed.
 */
export class Worker {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly sql: postgres.Sql;
  private readonly warehouses: Warehouses;
  private readonly running = new Map<string, Running>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly concurrency: number;
  private waking = false;
  private wakeAgain = false;
  private stopping = false;
  private listeners: { unlisten: () => Promise<void> }[] = [];

  constructor(opts: { url: string; concurrency?: number }) {
    this.concurrency = opts.concurrency ?? config.tableConcurrency();
    this.sql = postgres(
      opts.url,
      withNoDelay({
        // Per table: its batch transactions (a resync's lanes) and a statement beside them; plus claims and heartbeats.
        max: this.concurrency * (RESYNC_LANES + 1) + 3,
        onnotice: () => {},
        types: pgTypes,
      }),
    );
    this.warehouses = new Warehouses(this.sql, this.concurrency * RESYNC_LANES + 1);
  }

  async start(): Promise<void> {
    this.listeners.push(await this.sql.listen(CHANNELS.work, () => void this.wake()));
    this.listeners.push(await this.sql.listen(CHANNELS.cancel, (jobId) => this.abortJob(jobId, "cancel")));
    this.timers.push(setInterval(() => void this.poll(), config.pollMs()));
    this.timers.push(setInterval(() => void this.heartbeat(), config.heartbeatMs()));
    log.info("worker started", { workerId: this.id, concurrency: this.concurrency });
    void this.wake();
  }

  /** Graceful stop: running tables are handed back (requeued at their cursor) so another worker resumes at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.timers.forEach(clearInterval);
    for (const r of this.running.values()) r.abort.abort("shutdown" satisfies StopReason);
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await Promise.allSettled(this.listeners.map((l) => l.unlisten()));
    await this.warehouses.end();
    await this.sql.end({ timeout: 5 });
    log.info("worker stopped", { workerId: this.id });
  }

  get activeTables(): number {
    return this.running.size;
  }

  private async wake(): Promise<void> {
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    try {
      do {
        this.wakeAgain = false;
        while (!this.stopping && this.running.size < this.concurrency) {
          const claim = await claimTable(this.sql, this.id, config.leaseMs());
          if (!claim) break;
          const abort = new AbortController();
          const done = runTableJob(
            {
              sql: this.sql,
              warehouses: this.warehouses,
              workerId: this.id,
              signal: abort.signal,
              requeueAt: (ms) => setTimeout(() => void this.wake(), ms + 5).unref(),
            },
            claim,
          )
            .catch((e) => log.error("table job crashed", { tableJobId: claim.id, err: String(e) }))
            .finally(() => {
              this.running.delete(claim.id);
              void this.wake();
            });
          this.running.set(claim.id, { syncJobId: claim.sync_job_id, abort, done });
        }
      } while (this.wakeAgain && !this.stopping);
    } catch (e) {
      if (!this.stopping) log.warn("claim failed; will retry on the next poll", { err: String(e) });
    } finally {
      this.waking = false;
    }
  }

  private abortJob(syncJobId: string, reason: StopReason) {
    for (const r of this.running.values()) if (r.syncJobId === syncJobId) r.abort.abort(reason);
  }

  private async poll() {
    if (this.stopping) return;
    try {
      const reaped = await reapAbandonedCancels(this.sql);
      // The worker that died mid-resync cannot drop its shadow table any more: drop it here.
      for (const t of reaped.filter((r) => r.runType === "resync")) {
        const dest = destinationSchema.parse(t.destination);
        await dropShadow(this.warehouses.for(dest), dest.schema, shadowName(t.id)).catch((e) =>
          log.warn("could not drop an abandoned resync's shadow table", { tableJobId: t.id, err: String(e) }),
        );
      }
    } catch (e) {
      log.warn("reaper failed", { err: String(e) });
    }
    void this.wake();
  }

  /** Renews leases; a table now `canceling` is stopped, one we no longer hold is abandoned. */
  private async heartbeat() {
    if (this.stopping || !this.running.size) return;
    try {
      const ids = [...this.running].filter(([, r]) => !r.givenUp).map(([id]) => id);
      if (!ids.length) return;
      const held = await renewLeases(this.sql, this.id, ids, config.leaseMs());
      // Only the tables this renewal asked about: one claimed while it was on its way is not in its
      // answer, and taking that for a lost lease abandoned a healthy table until its lease expired.
      for (const id of ids) {
        const r = this.running.get(id);
        if (!r) continue; // ended meanwhile
        const status = held.get(id);
        if (status === undefined) r.abort.abort("lease-lost" satisfies StopReason);
        else if (status === "canceling") {
          r.abort.abort("cancel" satisfies StopReason);
          r.canceledAt ??= Date.now();
          if (Date.now() - r.canceledAt > CANCEL_GRACE_MS) {
            r.givenUp = true;
            log.warn("a canceled table did not stop; its lease is left to expire so the cancel is settled without it", {
              tableJobId: id,
            });
          }
        }
      }
    } catch (e) {
      log.warn("heartbeat failed", { workerId: this.id, err: String(e) });
    }
  }
}
