ALTER TABLE "syncs" ADD COLUMN "schema_changes" text DEFAULT 'propagate' NOT NULL;--> statement-breakpoint
ALTER TABLE "table_jobs" ADD COLUMN "schema_changes" jsonb;--> statement-breakpoint
ALTER TABLE "syncs" ADD CONSTRAINT "syncs_schema_changes_ck" CHECK ("syncs"."schema_changes" in ('propagate','fail'));