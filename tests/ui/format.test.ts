import { describe, expect, it } from "vitest";
import { describeCheckpoint, formatCursorValue, formatDateTime } from "../../lib/ui/format";

describe("checkpoints in words", () => {
  it("reads sample-source cursors", () => {
    expect(describeCheckpoint({ gen: 0, mode: "full", pos: 5000, emitted: 0, done: true })).toBe("up to id 5,000");
    expect(describeCheckpoint({ gen: 0, mode: "full", pos: 1200, emitted: 1200, done: false })).toBe(
      "up to id 1,200 so far; the next run carries on",
    );
    expect(describeCheckpoint({ gen: 3, mode: "delta", pos: 100, emitted: 0, done: true })).toBe(
      "changes up to version 3 (100 changed rows)",
    );
  });

  it("reads postgres-source cursors with the table's key names", () => {
    const keys = { primaryKey: "id", cursorColumn: "updated_at" };
    expect(describeCheckpoint({ cursor: "2026-11-23 10:00:00+00", pk: "812", done: true, emitted: 0 }, keys)).toBe(
      "updated_at 2026-11-23 10:00 UTC / id 812",
    );
    expect(describeCheckpoint({ cursor: "2026-11-23 10:00:00", pk: "812", done: true })).toBe("cursor 2026-11-23 10:00 / id 812");
    expect(describeCheckpoint({ cursor: null, pk: "4000", done: true }, { primaryKey: "order_id" })).toBe(
      "full copy finished at order_id 4,000; the next run copies the table again",
    );
    expect(describeCheckpoint({ pk: "77", done: false, emitted: 77 })).toBe("up to id 77 so far; the next run carries on");
    // Keys as one value per key column, composite ones named column by column; the walk's bookkeeping is not shown.
    expect(describeCheckpoint({ cursor: "2026-11-23 10:00:00+00", pk: ["812"], ties: [["812"]], withNulls: true, done: true }, keys)).toBe(
      "updated_at 2026-11-23 10:00 UTC / id 812",
    );
    expect(describeCheckpoint({ pk: ["7", "2"], done: false }, { primaryKey: ["order_id", "line"] })).toBe(
      "up to order_id 7, line 2 so far; the next run carries on",
    );
  });

  it("spells out anything else instead of printing JSON", () => {
    expect(describeCheckpoint({ lsn: "0/16B3748", done: true })).toBe("WAL position 0/16B3748");
    expect(describeCheckpoint({ page: 3, done: false })).toBe("page 3, done false");
  });

  it("formats cursor values and times in one 24-hour clock", () => {
    expect(formatCursorValue("2026-11-23T22:05:09.123Z")).toBe("2026-11-23 22:05:09 UTC");
    expect(formatCursorValue("2026-11-23 22:05:00+01:00")).toBe("2026-11-23 22:05 +01:00");
    expect(formatCursorValue("1234567")).toBe("1,234,567");
    expect(formatDateTime("2026-11-23T22:05:09Z")).toMatch(/\b\d{2}:05:09\b/);
    expect(formatDateTime("2026-11-23T22:05:09Z")).not.toMatch(/PM|AM/i);
  });
});
