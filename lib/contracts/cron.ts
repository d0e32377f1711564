import { z } from "zod";
import { validateCron, validateTimezone } from "./cron-rules";

// The rules themselves live in cron-rules.ts (zod-free, for the browser); servers may import them from here.
export { type Check, cronJob, normalizeCron, timeZoneNames, validateCron, validateTimezone } from "./cron-rules";

/**
 * Request body for PUT /v1/syncs/{id}/schedule, also usable as the `schedule` member of a sync body.
 * Invalid values fail on their own field, so the 400 names `cron` or `timezone`.
 */
export const scheduleInput = z.object({
  cron: z.string().transform((value, ctx) => {
    const check = validateCron(value);
    if (check.ok) return check.value;
    ctx.addIssue({ code: "custom", message: check.message });
    return z.NEVER;
  }),
  timezone: z
    .string()
    .default("UTC")
    .transform((value, ctx) => {
      const check = validateTimezone(value);
      if (check.ok) return check.value;
      ctx.addIssue({ code: "custom", message: check.message });
      return z.NEVER;
    }),
  enabled: z.boolean().default(true),
});
export type ScheduleInput = { cron: string; timezone?: string; enabled?: boolean };
