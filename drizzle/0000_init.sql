CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "checkpoints" (
	"sync_id" text NOT NULL,
	"table_name" text NOT NULL,
	"cursor" jsonb NOT NULL,
	"sync_job_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkpoints_sync_id_table_name_pk" PRIMARY KEY("sync_id","table_name")
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sync_id" text NOT NULL,
	"slot_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"sync_job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"sync_id" text PRIMARY KEY NOT NULL,
	"cron" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_skipped_at" timestamp with time zone,
	"last_skip_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_errors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"parent_job_id" text NOT NULL,
	"child_job_id" text NOT NULL,
	"sync_id" text NOT NULL,
	"flow_execution_group_id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"dataset_name" text NOT NULL,
	"table_name" text NOT NULL,
	"scope" text NOT NULL,
	"stage" text NOT NULL,
	"source" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"record_key" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"flow_execution_group_id" text NOT NULL,
	"sync_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"run_type" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"triggered_by" text NOT NULL,
	"canceled_by" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"purge_at" timestamp with time zone,
	"num_extracted_records" bigint DEFAULT 0 NOT NULL,
	"num_loaded_records" bigint DEFAULT 0 NOT NULL,
	"num_inserted_records" bigint DEFAULT 0 NOT NULL,
	"num_updated_records" bigint DEFAULT 0 NOT NULL,
	"num_deleted_records" bigint DEFAULT 0 NOT NULL,
	"num_errors" bigint DEFAULT 0 NOT NULL,
	"num_tables_synced" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sync_jobs_status_ck" CHECK (status in ('queued','running','canceling','completed','failed','canceled')),
	CONSTRAINT "sync_jobs_run_type_ck" CHECK ("sync_jobs"."run_type" in ('normal','resync'))
);
--> statement-breakpoint
CREATE TABLE "syncs" (
	"id" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"name" text NOT NULL,
	"source" jsonb NOT NULL,
	"destination" jsonb NOT NULL,
	"tables" text[] NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "table_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"sync_job_id" text NOT NULL,
	"sync_id" text NOT NULL,
	"table_name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"stage" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"num_extracted_records" bigint DEFAULT 0 NOT NULL,
	"num_loaded_records" bigint DEFAULT 0 NOT NULL,
	"num_inserted_records" bigint DEFAULT 0 NOT NULL,
	"num_updated_records" bigint DEFAULT 0 NOT NULL,
	"num_deleted_records" bigint DEFAULT 0 NOT NULL,
	"num_errors" bigint DEFAULT 0 NOT NULL,
	"progress_total" bigint,
	"num_attempts" integer DEFAULT 0 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"worker_id" text,
	"lease_expires_at" timestamp with time zone,
	"cursor" jsonb,
	"error_code" text,
	"error_message" text,
	CONSTRAINT "table_jobs_status_ck" CHECK (status in ('queued','running','canceling','completed','failed','canceled'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_ck" CHECK ("users"."role" in ('admin','support'))
);
--> statement-breakpoint
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_sync_id_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."syncs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_events" ADD CONSTRAINT "schedule_events_sync_id_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."syncs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_sync_id_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."syncs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_errors" ADD CONSTRAINT "sync_errors_parent_job_id_sync_jobs_id_fk" FOREIGN KEY ("parent_job_id") REFERENCES "public"."sync_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_jobs" ADD CONSTRAINT "sync_jobs_sync_id_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."syncs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "syncs" ADD CONSTRAINT "syncs_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "table_jobs" ADD CONSTRAINT "table_jobs_sync_job_id_sync_jobs_id_fk" FOREIGN KEY ("sync_job_id") REFERENCES "public"."sync_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_token_hash_uq" ON "api_keys" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_events_slot_uq" ON "schedule_events" USING btree ("sync_id","slot_at");--> statement-breakpoint
CREATE INDEX "schedule_events_sync_idx" ON "schedule_events" USING btree ("sync_id","id");--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "schedules" USING btree ("next_run_at") WHERE "schedules"."enabled";--> statement-breakpoint
CREATE INDEX "sync_errors_parent_idx" ON "sync_errors" USING btree ("parent_job_id","id");--> statement-breakpoint
CREATE INDEX "sync_errors_child_idx" ON "sync_errors" USING btree ("child_job_id","id");--> statement-breakpoint
CREATE INDEX "sync_errors_parent_code_idx" ON "sync_errors" USING btree ("parent_job_id","code","id");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_jobs_one_active_per_sync_uq" ON "sync_jobs" USING btree ("sync_id") WHERE "sync_jobs"."status" in ('queued','running','canceling');--> statement-breakpoint
CREATE INDEX "sync_jobs_sync_created_idx" ON "sync_jobs" USING btree ("sync_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sync_jobs_sync_status_created_idx" ON "sync_jobs" USING btree ("sync_id","status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sync_jobs_purge_idx" ON "sync_jobs" USING btree ("purge_at") WHERE "sync_jobs"."purge_at" is not null;--> statement-breakpoint
CREATE INDEX "syncs_integration_idx" ON "syncs" USING btree ("integration_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "table_jobs_job_table_uq" ON "table_jobs" USING btree ("sync_job_id","table_name");--> statement-breakpoint
CREATE INDEX "table_jobs_claim_idx" ON "table_jobs" USING btree ("run_after") WHERE "table_jobs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "table_jobs_lease_idx" ON "table_jobs" USING btree ("lease_expires_at") WHERE "table_jobs"."status" in ('running','canceling');--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree (lower("email"));