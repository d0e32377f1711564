import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { parseQuery, route } from "@/lib/api/handler";
import { ErrorReportQuery } from "@/lib/contracts/reports";
import { CSV_COLUMNS, csvRow, errorBatches, resolveTableFilter } from "@/lib/jobs/error-report";
import { getSyncJob } from "@/lib/jobs/queries";
import { log } from "@/lib/runtime/log";

export const dynamic = "force-dynamic";

const encoder = new TextEncoder();

/**
 * The job's errors under the current filter as CSV, streamed batch by batch (pull-based, so a
 * slow download never buffers millions of rows in memory).
 */
export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ req, params }) => {
  const { _childJobId, ...query } = parseQuery(req, ErrorReportQuery);
  const db = getDb();
  const job = await getSyncJob(db, params._syncJobId);
  if (!job) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_parentJobId");
  const filter = await resolveTableFilter(db, { parentJobId: job.id, childJobId: _childJobId, ...query });
  const batches = filter ? errorBatches(db, filter) : null;

  // A download the client abandons is canceled while a batch may still be in flight: that batch
  // then has nowhere to go, which is not a failure worth an error log.
  let canceled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
    },
    async pull(controller) {
      try {
        const next = batches ? await batches.next() : { done: true as const, value: undefined };
        if (canceled) return;
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
      } catch (e) {
        if (canceled) return;
        log.error("error export failed mid-stream", { syncJobId: job.id, err: String(e) });
        controller.error(e);
      }
    },
    async cancel() {
      canceled = true;
      await batches?.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="sync-job-${job.id}-errors.csv"`,
      "cache-control": "no-store",
    },
  });
});
