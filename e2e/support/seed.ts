import { type APIRequestContext, expect } from "@playwright/test";

export type SampleTable = {
  name: string;
  rows: number;
  changeRate?: number;
  badRecordRate?: number;
  failWith?: { code: string; message: string; afterRows: number };
  transientFailures?: number;
  rowsPerSecond?: number;
};

const TERMINAL = ["completed", "failed", "canceled"];
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * Test data through the public API with the admin token, removed again by `cleanup()` (active jobs
 * are canceled first, since an integration with a running job cannot be deleted).
 */
export class Seed {
  private integrations: string[] = [];
  constructor(readonly api: APIRequestContext) {}

  private async ok<T>(res: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<T> {
    if (!res.ok()) throw new Error(`${what}: HTTP ${res.status()} ${await res.text()}`);
    return (res.status() === 204 ? null : await res.json()) as T;
  }

  async integration(prefix = "e2e"): Promise<{ _id: string; name: string }> {
    const created = await this.ok<{ _id: string; name: string }>(
      await this.api.post("/v1/integrations", { data: { name: `${prefix} ${unique()}` } }),
      "create integration",
    );
    this.integrations.push(created._id);
    return created;
  }

  async sync(integrationId: string, tables: SampleTable[], opts: { name?: string; seed?: number } = {}) {
    return this.ok<{ _id: string; name: string; tables: string[] }>(
      await this.api.post("/v1/syncs", {
        data: {
          _integrationId: integrationId,
          name: opts.name ?? `sync ${unique()}`,
          source: { type: "sample", seed: opts.seed ?? 1, tables },
          destination: { type: "postgres", schema: `wh_e2e_${unique()}` },
        },
      }),
      "create sync",
    );
  }

  async run(syncId: string, body: { runType?: string; tables?: string[] } = {}): Promise<string> {
    const res = await this.ok<{ _syncJobId: string }>(await this.api.post(`/v1/syncs/${syncId}/run`, { data: body }), "run sync");
    return res._syncJobId;
  }

  async family(jobId: string) {
    return this.ok<{
      _id: string;
      status: string;
      runType: string;
      numErrors: number;
      tables: { _id: string; tableName: string; status: string; numErrors: number }[];
    }>(await this.api.get(`/v1/syncJobs/${jobId}/family`), "family");
  }

  async latestJobs(integrationId: string) {
    const res = await this.api.get(`/v1/integrations/${integrationId}/syncJobs/latest`);
    return res.status() === 200 ? ((await res.json()) as { _id: string; _syncId: string; status: string; runType: string }[]) : [];
  }

  async waitForJob(jobId: string, timeoutMs = 90_000) {
    let last: Awaited<ReturnType<Seed["family"]>> | undefined;
    await expect
      .poll(
        async () => {
          last = await this.family(jobId);
          return TERMINAL.includes(last.status);
        },
        // Every 250 ms to the end (a job takes a few seconds: a 1 s step left most waits up to a second late).
        { timeout: timeoutMs, intervals: [100, 250] },
      )
      .toBe(true);
    return last!;
  }

  async cleanup(): Promise<void> {
    for (const id of this.integrations.splice(0)) {
      for (const job of await this.latestJobs(id)) {
        if (TERMINAL.includes(job.status)) continue;
        await this.api.put(`/v1/syncJobs/${job._id}/cancel`);
        await this.waitForJob(job._id, 60_000).catch(() => {});
      }
      const res = await this.api.delete(`/v1/integrations/${id}`);
      if (![204, 404].includes(res.status())) console.warn(`cleanup of integration ${id}: HTTP ${res.status()} ${await res.text()}`);
    }
  }
}
