import { test as base, type Page } from "@playwright/test";
import { ADMIN_TOKEN, BASE_URL } from "./env";
import { Seed } from "./seed";

/**
 * Resolves once the page's React tree has hydrated (the root marks <html data-hydrated>): until
 * then a click on a server-rendered button is lost, which on a busy machine made tests flaky.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/**
 * `page` waits for hydration after every `goto` and `reload` of an HTML page; `seed`: an
 * admin-token API client whose data is deleted after the test.
 */
export const test = base.extend<{ seed: Seed }>({
  page: async ({ page }, use) => {
    const ready = async <R extends Awaited<ReturnType<Page["goto"]>>>(response: R): Promise<R> => {
      if (response?.headers()["content-type"]?.startsWith("text/html")) await waitForHydration(page);
      return response;
    };
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (url, options) => ready(await goto(url, options));
    page.reload = async (options) => ready(await reload(options));
    await use(page);
  },
  seed: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const seed = new Seed(api);
    await use(seed);
    await seed.cleanup();
    await api.dispose();
  },
});

export { expect } from "@playwright/test";
