import { chromium } from "@playwright/test";
import { percentile } from "./stats";

/**
 * Page times in Chromium at scale: from the start of navigation until the page shows its data —
 * the load event has fired, no skeleton (`[data-skeleton]`) or loading status is left, and the main
 * area has text. (Not any `.animate-pulse`: the header's live-updates dot pulses for as long as the
 * event stream is connected, so pages that subscribe to it never "finished" by that test.)
 * Each page is loaded once to warm up, then LOADS times; the figure is the median and
 * the slowest of those.
 */

export type PageFigure = { name: string; path: string; p50: number; max: number; error?: string };

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
    const page = await context.newPage();
    for (const p of pages) {
      step(`pages: ${p.name}`);
      const took: number[] = [];
      try {
        for (let i = 0; i <= LOADS; i++) {
          const t0 = performance.now();
          await page.goto(`${base}${p.path}`, { waitUntil: "load", timeout: TIMEOUT_MS });
          await page.waitForFunction(
            () =>
              !document.querySelector('[data-skeleton], [role="status"][aria-label^="Loading"]') &&
              (document.querySelector("main")?.textContent ?? "").trim().length > 0,
            undefined,
            { timeout: TIMEOUT_MS, polling: 20 },
          );
          if (i > 0) took.push(performance.now() - t0);
          if (new URL(page.url()).pathname.startsWith("/sign-in")) throw new Error("redirected to sign-in");
        }
        figures.push({ ...p, p50: percentile(took, 50), max: Math.max(...took) });
      } catch (e) {
        figures.push({ ...p, p50: NaN, max: NaN, error: String((e as Error).message ?? e).split("\n")[0] });
      }
    }
  } finally {
    await browser.close();
  }
  return figures;
}
