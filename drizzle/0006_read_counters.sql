CREATE TABLE "sync_error_counts" (
	"parent_job_id" text NOT NULL,
	"child_job_id" text NOT NULL,
	"table_name" text NOT NULL,
	"code" text NOT NULL,
	"stage" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "sync_error_counts_parent_job_id_child_job_id_table_name_code_stage_pk" PRIMARY KEY("parent_job_id","child_job_id","table_name","code","stage")
);
--> statement-breakpoint
CREATE TABLE "sync_job_counts" (
	"sync_id" text NOT NULL,
	"status" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "sync_job_counts_sync_id_status_pk" PRIMARY KEY("sync_id","status")
);
--> statement-breakpoint
ALTER TABLE "sync_error_counts" ADD CONSTRAINT "sync_error_counts_parent_job_id_sync_jobs_id_fk" FOREIGN KEY ("parent_job_id") REFERENCES "public"."sync_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_job_counts" ADD CONSTRAINT "sync_job_counts_sync_id_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."syncs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sync_errors_message_trgm_idx" ON "sync_errors" USING gin ("message" gin_trgm_ops);