import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SampleTableData } from "../../lib/engine/sources/sample";
import { CopyEncoder, encodeCopy } from "../../lib/engine/warehouse/load";
import { plainDatabase } from "../helpers/plain-db";

/**
 * The COPY encoder prints values by hand (ASCII, integers, whole cents). Its output must be exactly
 * what the general rule gives — `String()` of the value, COPY's escapes, `\N` for NULL — and
 * Postgres must read back the values that went in.
 */
const reference = (rows: unknown[][]) =>
  Buffer.from(
    rows
      .map(
        (row) =>
          row
            .map((v) =>
              v === null || v === undefined
                ? "\\N"
                : (v instanceof Date ? v.toISOString() : String(v))
                    .replace(/\\/g, "\\\\")
                    .replace(/\t/g, "\\t")
                    .replace(/\n/g, "\\n")
                    .replace(/\r/g, "\\r"),
            )
            .join("\t") + "\n",
      )
      .join(""),
  );

/** Deterministic pseudo-random doubles (xorshift), so a failure repeats. */
function numbers(count: number): number[] {
  let x = 2463534242;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const scale = 10 ** Math.floor(next() * 16);
    const sign = next() < 0.3 ? -1 : 1;
    const cents = Math.floor(next() * scale * 100);
    out.push(sign * (cents / 100), sign * next() * scale, sign * Math.floor(next() * scale), (sign * cents) / 1000);
  }
  return out;
}

const edgeValues: unknown[] = [
  0,
  -0,
  1,
  -1,
  9,
  10,
  99,
  100,
  0.01,
  -0.01,
  0.1,
  0.05,
  0.29,
  1.005,
  12.3,
  1234.56,
  -1234.56,
  0.1 + 0.2,
  1e-7,
  1e21,
  1e13 - 0.01,
  1e13 + 0.5,
  9999999999999.99,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 53,
  2 ** 53 + 2,
  NaN,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  2n ** 70n,
  -5n,
  true,
  false,
  null,
  undefined,
  "",
  "plain",
  "a\tb\\c\nd\re",
  "héllo ✓ 😀",
  "x\t😀\n\\",
  "\ud800",
  "end\\",
  new Date(0),
  new Date(Date.UTC(2026, 11, 2, 3, 4, 5, 6)),
];

describe("COPY encoding", () => {
  it("equals String() with COPY's escapes for edge values, random numbers and sample rows", () => {
    const rows: unknown[][] = edgeValues.map((v) => [v, "after"]);
    const nums = numbers(50_000);
    for (let i = 0; i < nums.length; i += 5) rows.push(nums.slice(i, i + 5));
    const data = new SampleTableData({ name: "t", rows: 20_000 }, 7);
    for (let id = 1; id <= 20_000; id++) rows.push(data.row(id, id % 3));
    // A small first buffer, so every kind of value also lands across a growth of the buffer.
    const expected = reference(rows).toString().split("\n");
    for (const encoded of [new CopyEncoder(16).add(rows).done(), encodeCopy(rows)]) {
      const lines = encoded.toString().split("\n");
      const first = lines.findIndex((line, i) => line !== expected[i]);
      expect(first < 0 ? null : { row: rows[first], line: lines[first] }).toEqual(
        first < 0 ? null : { row: rows[first], line: expected[first] },
      );
      expect(lines.length).toBe(expected.length);
    }
  });

  describe("through Postgres", () => {
    let db: Awaited<ReturnType<typeof plainDatabase>>;
    beforeAll(async () => {
      db = await plainDatabase("enc");
    });
    afterAll(async () => {
      await db?.drop();
    });

    it("reads back every value that went in", async () => {
      const values = numbers(2_000).filter(Number.isFinite);
      const texts = ["", "plain", "a\tb\\c\nd\re", "héllo ✓ 😀", "x\t😀\n\\", "end\\", "\\N", "tab\t"];
      const rows = values.map((v, i) => [i, v, texts[i % texts.length], i % 7 === 0 ? null : BigInt(i) * 10n ** 12n]);
      await db.sql.unsafe(`create table t (id int primary key, n double precision, s text, b numeric)`);
      const query = db.sql.unsafe(`copy t (id, n, s, b) from stdin`);
      const writable = await query.writable();
      await new Promise<void>((resolve, reject) => writable.end(encodeCopy(rows), (e?: Error | null) => (e ? reject(e) : resolve())));
      await query;
      const back = await db.sql.unsafe<{ id: number; n: number; s: string; b: string | null }[]>(
        `select id, n, s, b::text as b from t order by id`,
      );
      expect(back.length).toBe(rows.length);
      for (const r of back) {
        const [, n, s, b] = rows[r.id];
        // -0 prints as 0, as String() prints it.
        expect({ id: r.id, n: r.n, s: r.s, b: r.b }).toEqual({ id: r.id, n: Number(String(n)), s, b: b === null ? null : String(b) });
      }
    });
  });
});
