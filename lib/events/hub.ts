import { getSql } from "@/db/client";
import { CHANNELS, type JobEvent } from "@/lib/jobs/state/channels";
import { log } from "@/lib/runtime/log";

/** What subscribers receive: a job event, or `resync` after the LISTEN connection was re-established. */
export type HubEvent = JobEvent | { kind: "resync" };
type Listener = (event: HubEvent) => void;

/**
 * One LISTEN connection per web process (postgres.js keeps a dedicated one per client), fanned out
 * in memory to every open SSE stream. Thousands of browser tabs therefore cost one Postgres
 * connection, not thousands. Notifications sent while the connection was down are lost, so after
 * a reconnect every subscriber gets `resync` and refetches.
 */
class EventHub {
  private listeners = new Set<Listener>();
  private listening: Promise<void> | null = null;
  private listenCount = 0;
  /** Syncs never move between integrations, so this lookup can be cached for the process. */
  private integrationOfSync = new Map<string, string>();

  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      this.listening ??= this.start();
      await this.listening;
    } catch (e) {
      this.listening = null;
      this.listeners.delete(listener);
      throw e;
    }
    return () => void this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  private async start(): Promise<void> {
    await getSql().listen(
      CHANNELS.events,
      (payload) => void this.receive(payload),
      () => {
        // Called on the first LISTEN and again after every reconnect.
        if (this.listenCount++ > 0) {
          log.warn("sync_events LISTEN re-established; asking streams to resync");
          this.emit({ kind: "resync" });
        }
      },
    );
  }

  private async receive(payload: string): Promise<void> {
    let event: JobEvent;
    try {
      event = JSON.parse(payload) as JobEvent;
    } catch {
      log.warn("ignoring a malformed sync_events payload", { payload: payload.slice(0, 200) });
      return;
    }
    if (!event || typeof event.syncJobId !== "string" || typeof event.syncId !== "string") return;
    if (!event.integrationId) event = { ...event, integrationId: await this.lookupIntegration(event.syncId) };
    this.emit(event);
  }

  /** Some engine notifications omit the integration; integration streams still need to route them. */
  private async lookupIntegration(syncId: string): Promise<string | undefined> {
    const cached = this.integrationOfSync.get(syncId);
    if (cached) return cached;
    try {
      const [row] = await getSql()<{ integration_id: string }[]>`select integration_id from syncs where id = ${syncId}`;
      if (row) {
        if (this.integrationOfSync.size > 50_000) this.integrationOfSync.clear();
        this.integrationOfSync.set(syncId, row.integration_id);
      }
      return row?.integration_id;
    } catch {
      return undefined;
    }
  }

  private emit(event: HubEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        log.warn("event subscriber threw", { err: String(e) });
      }
    }
  }
}

const globalForHub = globalThis as unknown as { __syncEventHub?: EventHub };

/** The process-wide hub (kept on globalThis so dev hot reload does not open a second LISTEN). */
export const eventHub = (): EventHub => (globalForHub.__syncEventHub ??= new EventHub());
