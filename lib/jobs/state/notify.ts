import type postgres from "postgres";
import { CHANNELS, type JobEvent } from "./channels";

type Sql = postgres.Sql | postgres.TransactionSql;

/** Tells every web instance (SSE) that something observable changed; delivered on commit. */
export async function notify(tx: Sql, event: JobEvent) {
  await tx`select pg_notify(${CHANNELS.events}, ${JSON.stringify(event)})`;
}

/** Wakes idle workers: a table job of this sync job became claimable. */
export async function notifyWork(tx: Sql, syncJobId: string) {
  await tx`select pg_notify(${CHANNELS.work}, ${syncJobId})`;
}
