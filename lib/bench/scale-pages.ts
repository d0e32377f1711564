import { chromium } from "@playwright/test";
import { percentile } from "./stats";

/**
 * Page times in Chromium at scale: from the start of navigation until the page shows its data —
 * the load event has fired, no skeleton (`[data-skeleton]`) or loading status is left, and the main
 * area has text. (Not any `.animate-pulse`: the header's live-updates dot pulses for as long as the
 * event stream is connected, so pages that subscribe to it never "finished" by that test.)
 * Each page is loaded once to warm up, then LOADS times; the figure is the median and
 * the slowest of those. Beside it, where the time goes (medians): the server's answer (first byte
 * and last byte of the HTML), the HTML's size, and the /v1 requests the page sent before it was
 * visible (each one a round trip the first paint waited for, or at least competed with).
 */

export type PageFigure = {
  name: string;
  path: string;
  p50: number;
  max: number;
  error?: string;
  /** Navigation start → first byte / last byte of the HTML (ms), its transferred size (kB), median over the loads. */
  ttfb?: number;
  htmlEnd?: number;
  htmlKb?: number;
  /** The renderer's main-thread busy time (CDP TaskDuration) and the part of it running scripts, ms per load (median). */
  mainThread?: number;
  script?: number;
  /** /v1 requests sent before the page was visible (in the last load), e.g. `GET /v1/syncs/…`. */
  fetches?: string[];
};

const LOADS = 5;
const TIMEOUT_MS = 20_000;

export async function measurePages(
  base: string,
  sessionCookie: { name: string; value: string },
  pages: { name: string; path: string }[],
  step: (msg: string) => void,
): Promise<PageFigure[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const figures: PageFigure[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addCookies([{ ...sessionCookie, url: base }]);
    // A fresh tab per load: the renderer's CDP counters (TaskDuration, ScriptDuration: main-thread CPU,
    // load-insensitive where wall time is not) then count that load alone.
    let page = await context.newPage();
    let cdp = await context.newCDPSession(page);
    const freshTab = async () => {
      await page.close();
      page = await context.newPage();
      page.on("request", onRequest);
      cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
    };
    const busy = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      const m = (name: string) => (metrics.find((x) => x.name === name)?.value ?? 0) * 1000;
      return { task: m("TaskDuration"), script: m("ScriptDuration") };
    };
    let fetches: string[] = [];
    const onRequest = (r: { url: () => string; method: () => string }) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/v1/")) fetches.push(`${r.method()} ${u.pathname.replace(/[0-9a-f]{24}/g, "…")}${u.search}`);
    };
    for (const p of pages) {
      step(`pages: ${p.name}`);
      const took: number[] = [];
      const ttfb: number[] = [];
      const htmlEnd: number[] = [];
      const htmlKb: number[] = [];
      const mainThread: number[] = [];
      const script: number[] = [];
      let lastSeen: string[] = [];
      try {
        for (let i = 0; i <= LOADS; i++) {
          await freshTab();
          fetches = [];
          const t0 = performance.now();
          await page.goto(`${base}${p.path}`, { waitUntil: "load", timeout: TIMEOUT_MS });
          await page.waitForFunction(
            () =>
              !document.querySelector('[data-skeleton], [role="status"][aria-label^="Loading"]') &&
              (document.querySelector("main")?.textContent ?? "").trim().length > 0,
            undefined,
            { timeout: TIMEOUT_MS, polling: 20 },
          );
          const visibleAt = performance.now() - t0;
          const seen = fetches.slice();
          const b1 = await busy();
          const nav = await page.evaluate(() => {
            const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
            return { ttfb: n.responseStart, end: n.responseEnd, kb: (n.encodedBodySize || n.transferSize) / 1024 };
          });
          if (i > 0) {
            took.push(visibleAt);
            ttfb.push(nav.ttfb);
            htmlEnd.push(nav.end);
            htmlKb.push(nav.kb);
            mainThread.push(b1.task);
            script.push(b1.script);
            lastSeen = seen;
          }
          if (new URL(page.url()).pathname.startsWith("/sign-in")) throw new Error("redirected to sign-in");
        }
        figures.push({
          ...p,
          p50: percentile(took, 50),
          max: Math.max(...took),
          ttfb: percentile(ttfb, 50),
          htmlEnd: percentile(htmlEnd, 50),
          htmlKb: percentile(htmlKb, 50),
          mainThread: percentile(mainThread, 50),
          script: percentile(script, 50),
          fetches: lastSeen,
        });
      } catch (e) {
        figures.push({ ...p, p50: NaN, max: NaN, error: String((e as Error).message ?? e).split("\n")[0] });
      }
    }
  } finally {
    await browser.close();
  }
  return figures;
}
