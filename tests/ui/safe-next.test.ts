import { describe, expect, it } from "vitest";
import { safeNext } from "../../lib/ui/safe-next";

describe("where sign-in sends the user next", () => {
  it("follows a path of this site, with its query", () => {
    expect(safeNext("/settings")).toBe("/settings");
    expect(safeNext("/jobs/abc/errors?code=X&q=a%20b")).toBe("/jobs/abc/errors?code=X&q=a%20b");
    expect(safeNext(undefined)).toBe("/");
  });

  it("never another site, however the path is disguised", () => {
    for (const next of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/%09/evil.example".replace("%09", "\t"),
      "https://evil.example",
      "evil.example",
      "/\\/evil.example",
      " /x",
    ])
      expect(safeNext(next), JSON.stringify(next)).toBe("/");
  });
});
