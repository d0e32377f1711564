import type { SampleSource, SampleTable } from "@/lib/contracts/sync-config";
import { abortableSleep } from "../sleep";
import {
  type Batch,
  type Column,
  type ExtractPlan,
  type ExtractRequest,
  FatalSourceError,
  type Row,
  type Source,
  TransientSourceError,
} from "./types";

/**
 * A generated, deterministic source for demos, tests and benchmarks, with fault injection.
 * The data has "generations": the first run sees generation 0 (every row); each later normal
 * run sees the next generation, in which exactly floor(rows × changeRate) rows were modified.
 */
export type SampleCursor = { gen: number; mode: "full" | "delta"; pos: number; emitted: number; done: boolean };

export const SAMPLE_COLUMNS: Column[] = [
  { name: "id", type: "bigint", notNull: true },
  { name: "name", type: "text", notNull: true },
  { name: "email", type: "text", notNull: true },
  { name: "amount", type: "numeric(12,2)", notNull: true },
  { name: "status", type: "text", notNull: true },
  { name: "version", type: "integer", notNull: true },
  { name: "updated_at", type: "timestamptz", notNull: true },
];

const FIRST = ["ada", "grace", "alan", "edsger", "barbara", "donald", "linus", "margaret", "ken", "radia", "tim", "frances"];
const LAST = ["lovelace", "hopper", "turing", "dijkstra", "liskov", "knuth", "torvalds", "hamilton", "thompson", "perlman"];
const STATUSES = ["active", "trial", "paused", "churned"];
const EPOCH = Date.UTC(2026, 0, 1);
const SLICE = 1000;

/** 32-bit integer hash (a murmur3 finaliser): fast and well mixed, so data looks random but never changes. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export class SampleTableData {
  private readonly key: number;
  readonly nChanged: number;
  readonly nBad: number;

  constructor(
    readonly table: SampleTable,
    seed: number,
  ) {
    this.key = mix(seed, hashString(table.name));
    this.nChanged = Math.floor(table.rows * (table.changeRate ?? 0));
    this.nBad = Math.floor(table.rows * (table.badRecordRate ?? 0));
  }

  /** Ids modified in generation `gen` (≥ 1), ascending: a stride walk coprime with `rows` gives distinct ids. */
  changedIds(gen: number): number[] {
    const { rows } = this.table;
    if (this.nChanged === 0 || rows === 0) return [];
    const start = mix(this.key, gen) % rows;
    let stride = (mix(this.key ^ 0x5bd1e995, gen) % rows) | 1;
    while (gcd(stride, rows) !== 1) stride++;
    const ids = new Array<number>(this.nChanged);
    for (let i = 0; i < this.nChanged; i++) ids[i] = ((start + i * stride) % rows) + 1;
    return ids.sort((a, b) => a - b);
  }

  /** Exactly nBad ids, spread evenly over 1..rows: these records carry a null the warehouse rejects. */
  isBad(id: number): boolean {
    if (this.nBad === 0) return false;
    const { rows } = this.table;
    return Math.floor((id * this.nBad) / rows) !== Math.floor(((id - 1) * this.nBad) / rows);
  }

  /** Version of each row as of generation `gen` (0 = never modified). */
  versionsAt(gen: number): Int32Array | null {
    if (gen === 0 || this.nChanged === 0) return null;
    const versions = new Int32Array(this.table.rows + 1);
    for (let g = 1; g <= gen; g++) for (const id of this.changedIds(g)) versions[id] = g;
    return versions;
  }

  row(id: number, version: number): Row {
    const h = mix(this.key ^ version, id);
    const f = h % FIRST.length;
    const first = FIRST[f];
    return [
      id,
      NAMES[f * LAST.length + ((h >>> 8) % LAST.length)],
      this.isBad(id) ? null : first + "." + id + "@example.com",
      ((h >>> 4) % 1_000_000) / 100,
      STATUSES[(h >>> 12) % STATUSES.length],
      version,
      this.iso.format(EPOCH + version * 3_600_000 + id * 1000),
    ];
  }

  private readonly iso = new IsoFormatter();
}

/** Every "first last" pair, built once: the generator's hot loop only picks one. */
const NAMES = FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`));

const pad2 = (n: number) => (n < 10 ? "0" + n : "" + n);

/**
 * `new Date(ms).toISOString()`, about ten times faster: the date part is formatted once per day
 * (consecutive ids share it), the time of day by hand. Generating timestamps was a third of the
 * cost of producing a sample row.
 */
class IsoFormatter {
  private day = NaN;
  private prefix = "";

  format(ms: number): string {
    // Outside whole milliseconds of years 1970–9999 the library formatter is the reference.
    if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString();
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    }
    const inDay = ms - day * 86_400_000;
    const s = Math.floor(inDay / 1000);
    const milli = inDay - s * 1000;
    return `${this.prefix}${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
  }
}

export class SampleSourceAdapter implements Source {
  constructor(private readonly config: SampleSource) {}

  async plan(req: ExtractRequest): Promise<ExtractPlan> {
    const table = this.config.tables.find((t) => t.name === req.tableName);
    if (!table) throw new FatalSourceError("TABLE_NOT_FOUND", `The sample source has no table ${req.tableName}`);
    const data = new SampleTableData(table, this.config.seed ?? 0);
    const cursor = startCursor(req);

    if (table.transientFailures && req.attempt <= table.transientFailures) {
      throw new TransientSourceError(`sample source: simulated transient failure ${req.attempt} of ${table.transientFailures}`);
    }

    const ids = cursor.mode === "delta" ? data.changedIds(cursor.gen) : null;
    const versions = cursor.mode === "full" ? data.versionsAt(cursor.gen) : null;
    const listLength = ids ? ids.length : table.rows;
    const idAt = (i: number) => (ids ? ids[i] : i + 1);
    const versionOf = (id: number) => (ids ? cursor.gen : (versions?.[id] ?? 0));
    const throttled = table.rowsPerSecond !== undefined;
    const batchSize = throttled ? Math.max(1, Math.min(req.batchSize, Math.ceil(table.rowsPerSecond! / 5))) : req.batchSize;

    async function* batches(signal: AbortSignal): AsyncIterable<Batch> {
      let pos = cursor.pos;
      let emitted = cursor.emitted;
      const failAfter = table!.failWith ? (table!.failWith.afterRows ?? 0) : Infinity;
      while (pos < listLength) {
        if (emitted >= failAfter) throw new FatalSourceError(table!.failWith!.code, table!.failWith!.message);
        const started = Date.now();
        const n = Math.min(batchSize, listLength - pos, failAfter - emitted);
        // Handed over in slices: the engine encodes each while its rows are fresh (and lets the
        // previous batch's writes progress in between), then commits the batch after its last slice.
        for (let from = 0; from < n; from += SLICE) {
          const rows = new Array<Row>(Math.min(SLICE, n - from));
          for (let i = 0; i < rows.length; i++) {
            const id = idAt(pos + from + i);
            rows[i] = data.row(id, versionOf(id));
          }
          const last = from + SLICE >= n;
          yield last
            ? { rows, cursor: { ...cursor, pos: pos + n, emitted: emitted + n, done: false } satisfies SampleCursor }
            : { rows, cursor: null, partial: true };
        }
        pos += n;
        emitted += n;
        if (throttled) await abortableSleep((n / table!.rowsPerSecond!) * 1000 - (Date.now() - started), signal);
      }
      if (emitted >= failAfter) throw new FatalSourceError(table!.failWith!.code, table!.failWith!.message);
    }

    return {
      columns: SAMPLE_COLUMNS,
      primaryKey: ["id"],
      total: listLength,
      alreadyExtracted: cursor.pos,
      batches,
      finalCursor: () => ({ gen: cursor.gen, mode: cursor.mode, pos: listLength, emitted: 0, done: true }) satisfies SampleCursor,
    };
  }
}

/** Where this attempt starts: an earlier attempt's position, else derived from the sync's checkpoint. */
function startCursor(req: ExtractRequest): SampleCursor {
  if (req.resumeFrom) return req.resumeFrom as SampleCursor;
  const cp = req.checkpoint as SampleCursor | null;
  const nextGen = cp ? (cp.done ? cp.gen + 1 : cp.gen) : 0;
  if (req.runType === "resync") return { gen: nextGen, mode: "full", pos: 0, emitted: 0, done: false };
  if (cp && !cp.done) return { ...cp, emitted: 0 }; // an earlier run stopped midway: carry on from there
  return { gen: nextGen, mode: nextGen === 0 ? "full" : "delta", pos: 0, emitted: 0, done: false };
}
