import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type postgres from "postgres";
import { pipelinedTransaction } from "../../lib/engine/warehouse/pipelined";
import { freshDatabase } from "../helpers/fresh-db";

let env: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  env = await freshDatabase();
  await env.sql`create table landed (batch int primary key, work_at timestamptz not null, committed_as bigint)`;
  await env.sql`create sequence commit_order`;
});
afterAll(async () => {
  await env?.drop();
});

/**
 * One batch as the resync lands it: the work writes the batch's row (after `delayMs` of COPY-like
 * work), the finish stamps it with the next number of a sequence, which it can only take once the
 * batch before it has committed.
 */
function batch(n: number, prior: Promise<unknown>, opts: { delayMs?: number; failFinish?: boolean } = {}) {
  const work = async (tx: postgres.ReservedSql) => {
    await tx.unsafe(`select pg_sleep($1::float8 / 1000)`, [opts.delayMs ?? 0]).execute();
    return tx.unsafe(`insert into landed (batch, work_at) values ($1, clock_timestamp())`, [n]).execute();
  };
  return pipelinedTransaction(env.sql, {
    guard: (tx) => tx.unsafe(`select 1`).execute(),
    allows: () => true,
    work,
    finish: (tx) =>
      tx
        .unsafe(
          opts.failFinish
            ? `update landed set committed_as = 1 / 0 where batch = $1`
            : `update landed set committed_as = nextval('commit_order') where batch = $1`,
          [n],
        )
        .execute(),
    prior,
    overlap: true,
  });
}

describe("batches landed side by side", () => {
  it("work beside the batch before, commits after it, in order", async () => {
    const first = batch(1, Promise.resolve(), { delayMs: 400 });
    const second = batch(2, first);
    await Promise.all([first, second]);
    const rows =
      await env.sql`select batch, committed_as::int as seq, extract(epoch from work_at)::float8 as work_at from landed where batch in (1, 2) order by batch`;
    // The second's work ran while the first was still working (it started 400 ms later)...
    expect(rows[1].work_at).toBeLessThan(rows[0].work_at);
    // ...but it committed after the first did.
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
  });

  it("a batch whose predecessor fails rolls back, though its own work succeeded", async () => {
    const first = batch(3, Promise.resolve(), { delayMs: 200, failFinish: true });
    const second = batch(4, first);
    await expect(first).rejects.toThrow(/division by zero/);
    await expect(second).rejects.toThrow(/division by zero/);
    expect(await env.sql`select batch from landed where batch in (3, 4)`).toEqual([]);
  });
});
