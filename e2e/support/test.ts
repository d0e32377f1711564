import { test as base } from "@playwright/test";
import { ADMIN_TOKEN, BASE_URL } from "./env";
import { Seed } from "./seed";

/** `seed`: an admin-token API client whose data is deleted after the test. */
export const test = base.extend<{ seed: Seed }>({
  seed: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const seed = new Seed(api);
    await use(seed);
    await seed.cleanup();
    await api.dispose();
  },
});

export { expect } from "@playwright/test";
