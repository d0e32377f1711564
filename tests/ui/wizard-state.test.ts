import { describe, expect, it } from "vitest";
import { type ConnDraft, connUrl, emptyConn, switchConnMode } from "../../components/wizard/wizard-state";

const fields = (patch: Partial<ConnDraft>): ConnDraft => ({ ...emptyConn(), ...patch });

describe("switching how a connection is typed keeps what was typed", () => {
  it("builds the url from the parts, escaping what a url cannot hold", () => {
    const d = fields({
      host: "db.example.com",
      port: "6432",
      database: "shop floor",
      user: "ann@corp",
      password: "p@ss:w/rd#1",
      ssl: true,
    });
    const url = switchConnMode(d, "url");
    expect(url.mode).toBe("url");
    expect(url.url).toBe("postgres://ann%40corp:p%40ss%3Aw%2Frd%231@db.example.com:6432/shop%20floor?sslmode=require");
    expect(connUrl(url)).toBe(connUrl(d));
  });

  it("splits a pasted url into its parts, and back again unchanged", () => {
    const d = { ...emptyConn(), mode: "url" as const, url: "postgresql://reader:s%40cret@[::1]:55432/warehouse?sslmode=require" };
    const parts = switchConnMode(d, "fields");
    expect(parts).toMatchObject({
      mode: "fields",
      host: "::1",
      port: "55432",
      database: "warehouse",
      user: "reader",
      password: "s@cret",
      ssl: true,
    });
    expect(connUrl(parts)).toBe("postgres://reader:s%40cret@[::1]:55432/warehouse?sslmode=require");
    expect(switchConnMode(parts, "url").url).toBe(connUrl(parts));
  });

  it("fills the default port and no user when the url has none", () => {
    expect(switchConnMode({ ...emptyConn(), mode: "url", url: "postgres://db.internal/app" }, "fields")).toMatchObject({
      host: "db.internal",
      port: "5432",
      database: "app",
      user: "",
      password: "",
      ssl: false,
    });
  });

  it("leaves the parts alone for a url it cannot split, and keeps the url for the way back", () => {
    const typed = fields({ host: "old.example.com", database: "old" });
    for (const url of ["not a url", "mysql://u@h/db", "postgres://h/db?options=-c%20search_path%3Dx", "postgres://u:%zz@h/db"]) {
      const withUrl = { ...typed, mode: "url" as const, url };
      const parts = switchConnMode(withUrl, "fields");
      expect(parts).toMatchObject({ mode: "fields", host: "old.example.com", database: "old" });
      expect(parts.url).toBe(url);
    }
  });

  it("keeps a pasted url when the parts are still empty", () => {
    const d = { ...emptyConn(), url: "postgres://u@h/db" };
    expect(switchConnMode(d, "url").url).toBe("postgres://u@h/db");
  });
});
