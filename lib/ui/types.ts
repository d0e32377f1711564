import type { z } from "zod";
import type { SyncError, SyncJob, SyncJobFamily, SyncJobsResponse, SyncTableJob } from "@/lib/contracts/jobs";
import type { apiKeyCreated, apiKeySchema, integrationSchema, syncSchema } from "@/lib/contracts/management";
import type { ErrorSummary } from "@/lib/jobs/error-report";
import type { UserView } from "@/lib/auth/user-list";

/** Wire types for the UI, inferred from the same zod contracts the API validates with (type-only imports). */
export type SyncJobT = z.infer<typeof SyncJob>;
export type TableJobT = z.infer<typeof SyncTableJob>;
export type FamilyT = z.infer<typeof SyncJobFamily>;
export type SyncErrorT = z.infer<typeof SyncError>;
export type SyncJobsPageT = z.infer<typeof SyncJobsResponse>;
export type SyncT = z.infer<typeof syncSchema>;
export type IntegrationT = z.infer<typeof integrationSchema>;
export type ApiKeyT = z.infer<typeof apiKeySchema>;
export type ApiKeyCreatedT = z.infer<typeof apiKeyCreated>;
export type ErrorSummaryT = ErrorSummary;
export type UserT = UserView;
export type CheckpointT = { tableName: string; cursor: unknown; updatedAt: string };
export type JobStatusT = SyncJobT["status"];
export type Page<T> = { data: T[]; totalCount: number };
export type Me = { email: string; role: "admin" | "support"; csrfToken: string };

export const ACTIVE: readonly JobStatusT[] = ["queued", "running", "canceling"];
export const isActive = (s: JobStatusT | undefined): boolean => !!s && ACTIVE.includes(s);
