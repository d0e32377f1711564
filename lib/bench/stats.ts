/** Nearest-rank percentile (p in 0..100) of a sample; the sample is not modified. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export type Latency = { n: number; p50: number; p90: number; max: number };

export function summarize(values: number[]): Latency {
  return { n: values.length, p50: percentile(values, 50), p90: percentile(values, 90), max: Math.max(...values) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A jittered pause, so samples do not phase-lock with the worker's 1 s poll and 3 s heartbeat timers. */
export const jitter = (minMs: number, spreadMs: number) => sleep(minMs + Math.random() * spreadMs);
