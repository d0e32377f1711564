import { ApiClientError, errorMessage } from "@/lib/ui/api-client";

/** 409 sync_job_active in words a person can act on (the settings card and the edit form both say it). */
export const configErrorText = (e: unknown): string =>
  e instanceof ApiClientError && e.code === "sync_job_active"
    ? "A job of this sync is queued or running. Wait for it to finish or cancel it, then try again."
    : errorMessage(e);
