import { chromium } from "@playwright/test";
import { percentile } from "./stats";

/**
 * Page times in Chromium at scale, taken inside the page from the start of navigation
 * (`performance.now()`) until the first frame painted after the page's data is in the DOM: its rows
 * (`rows`: selectors and how many of each must be there, e.g. the 40 sync rows) and no skeleton
 * (`[data-skeleton]`) or loading status left. An observer installed before the document's first byte
 * notes the moment; the paint is the frame after it (a requestAnimationFrame callback runs just
 * before a frame is drawn, a task posted from it runs after), and not before the first contentful
 * paint the browser reports. Not the load event: it waits for every
 * script, data or not (reported beside, as is the moment the page is hydrated, i.e. interactive).
 * Each page is loaded once to warm up, then LOADS times, each in a fresh tab (no warm cache a user
 * would not have; the renderer's CDP counters then count that load alone); the figure is the median
 * and the slowest. Beside it (medians): the server's answer (first and last byte of the HTML), the
 * HTML's size, the renderer main thread's busy time, and the /v1 requests sent before the page was
 * visible (each one a round trip the first paint waited for, or at least competed with).
 */

/** `rows`: what the page's data is, as selectors and how many of each must be in the DOM (without: text in `main`). */
export type PageSpec = { name: string; path: string; rows?: [selector: string, count: number][] };

export type PageFigure = {
  name: string;
  path: string;
  /** Navigation start → first paint with the page's data (ms): median and slowest. */
  p50: number;
  max: number;
  error?: string;
  /** Navigation start → first byte / last byte of the HTML (ms), its transferred size (kB), median over the loads. */
  ttfb?: number;
  htmlEnd?: number;
  htmlKb?: number;
  /** Navigation start → load event end / hydrated (`data-hydrated` set), ms, median. */
  load?: number;
  hydrated?: number;
  /** The renderer's main-thread busy time (CDP TaskDuration) and the part of it running scripts, ms per load (median). */
  mainThread?: number;
  script?: number;
  /** /v1 requests sent before the page was visible (in the last load), e.g. `GET /v1/syncs/…`. */
  fetches?: string[];
};

/**
 * Chromium run headless still builds its address bar's popup (chrome://omnibox-popup, some 400 JS
 * modules in a renderer of its own) for every new tab: measured in a trace, as much CPU during a
 * page's load as the page's own renderer, on 2 shared cores. That is the browser's UI, not the
 * page, so it is switched off. A second --disable-features can replace the first (a switch's last
 * value wins), so Playwright's own list (its chromiumSwitches.ts) is repeated first.
 */
const DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay",
  "MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin",
  "OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion",
  "WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI",
].join(",");

const LOADS = 5;
const TIMEOUT_MS = 20_000;

/** Installed before the document's first byte: notes when the rows are there, then the frame after. */
const observeData = (rows: [string, number][]) => `(() => {
  const rows = ${JSON.stringify(rows)};
  const ready = () =>
    (rows.length ? rows.every(([sel, want]) => document.querySelectorAll(sel).length >= want) : (document.querySelector("main")?.textContent ?? "").trim().length > 0) &&
    !document.querySelector('[data-skeleton], [role="status"][aria-label^="Loading"]');
  // The frame after the data, and not before the browser presented its first contentful frame (FCP
  // is a presentation time; a frame drawn in software on a busy machine can reach the screen well
  // after the main thread is done with it). With the data in the first HTML, that frame shows it.
  let paintedAt, fcp;
  const done = () => {
    if (paintedAt !== undefined && fcp !== undefined) window.__visibleAt = Math.max(paintedAt, fcp);
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") (fcp = e.startTime), done();
  }).observe({ type: "paint", buffered: true });
  const check = () => {
    if (window.__dataAt !== undefined || !ready()) return;
    window.__dataAt = performance.now();
    requestAnimationFrame(() => setTimeout(() => ((paintedAt = performance.now()), done())));
  };
  new MutationObserver(() => {
    check();
    if (window.__hydratedAt === undefined && document.documentElement.hasAttribute("data-hydrated")) window.__hydratedAt = performance.now();
  }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["data-hydrated"] });
  document.addEventListener("DOMContentLoaded", check);
})()`;

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function measurePages(
  base: string,
  sessionCookie: { name: string; value: string },
  pages: PageSpec[],
  step: (msg: string) => void,
): Promise<PageFigure[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run", `--disable-features=${DISABLED_FEATURES}`],
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
      const loadEnd: number[] = [];
      const hydrated: number[] = [];
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
          await page.addInitScript({ content: observeData(p.rows ?? []) });
          await page.goto(`${base}${p.path}`, { waitUntil: "commit", timeout: TIMEOUT_MS });
          if (new URL(page.url()).pathname.startsWith("/sign-in")) throw new Error("redirected to sign-in");
          const visibleAt = (await (
            await page.waitForFunction(() => (window as { __visibleAt?: number }).__visibleAt, undefined, {
              timeout: TIMEOUT_MS,
              polling: 20,
            })
          ).jsonValue()) as number;
          const seen = fetches.slice();
          // The load event and hydration, as context (both can come after the data is visible).
          await page.waitForLoadState("load", { timeout: TIMEOUT_MS });
          await page.waitForFunction(() => document.documentElement.hasAttribute("data-hydrated"), undefined, { timeout: TIMEOUT_MS });
          const b1 = await busy();
          const nav = await page.evaluate(() => {
            const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
            const w = window as { __hydratedAt?: number };
            return {
              ttfb: n.responseStart,
              end: n.responseEnd,
              kb: (n.encodedBodySize || n.transferSize) / 1024,
              load: n.loadEventEnd,
              hydrated: w.__hydratedAt ?? NaN,
            };
          });
          if (i > 0) {
            took.push(visibleAt);
            loadEnd.push(nav.load);
            hydrated.push(nav.hydrated);
            ttfb.push(nav.ttfb);
            htmlEnd.push(nav.end);
            htmlKb.push(nav.kb);
            mainThread.push(b1.task);
            script.push(b1.script);
            lastSeen = seen;
          }
        }
        figures.push({
          ...p,
          p50: percentile(took, 50),
          max: Math.max(...took),
          ttfb: percentile(ttfb, 50),
          htmlEnd: percentile(htmlEnd, 50),
          htmlKb: percentile(htmlKb, 50),
          load: percentile(loadEnd, 50),
          hydrated: percentile(hydrated, 50),
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
