-- Counters behind totalCount / x-total-count and the error summary, kept exact by the database so no
-- writer (engine, scheduler, API, purger) has to remember them. Statement-level triggers with transition
-- tables add a bulk insert (the scheduler's burst, a batch of rejected records) in one grouped upsert;
-- groups are touched in key order so concurrent statements lock counter rows in the same order.
-- Decrements are plain UPDATEs: when a sync or job is deleted its counter rows cascade away, and an
-- upsert there would resurrect them.

CREATE FUNCTION sync_job_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_job_counts (sync_id, status, n)
  SELECT sync_id, status, count(*) FROM new_jobs GROUP BY sync_id, status ORDER BY sync_id, status
  ON CONFLICT (sync_id, status) DO UPDATE SET n = sync_job_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION sync_job_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE g record;
BEGIN
  FOR g IN SELECT sync_id, status, count(*) AS n FROM old_jobs GROUP BY sync_id, status ORDER BY sync_id, status LOOP
    UPDATE sync_job_counts SET n = n - g.n WHERE sync_id = g.sync_id AND status = g.status;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Row level on purpose: the engine updates a job's counters once per batch, and the WHEN clause below
-- lets those updates skip the trigger entirely; only a status change pays for it.
CREATE FUNCTION sync_job_counts_on_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sync_job_counts SET n = n - 1 WHERE sync_id = OLD.sync_id AND status = OLD.status;
  INSERT INTO sync_job_counts (sync_id, status, n) VALUES (NEW.sync_id, NEW.status, 1)
  ON CONFLICT (sync_id, status) DO UPDATE SET n = sync_job_counts.n + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sync_jobs_count_insert AFTER INSERT ON sync_jobs
  REFERENCING NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION sync_job_counts_on_insert();
--> statement-breakpoint
CREATE TRIGGER sync_jobs_count_delete AFTER DELETE ON sync_jobs
  REFERENCING OLD TABLE AS old_jobs FOR EACH STATEMENT EXECUTE FUNCTION sync_job_counts_on_delete();
--> statement-breakpoint
CREATE TRIGGER sync_jobs_count_status AFTER UPDATE OF status, sync_id ON sync_jobs
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.sync_id IS DISTINCT FROM NEW.sync_id)
  EXECUTE FUNCTION sync_job_counts_on_status();
--> statement-breakpoint
CREATE FUNCTION sync_error_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_error_counts (parent_job_id, child_job_id, table_name, code, stage, n)
  SELECT parent_job_id, child_job_id, table_name, code, stage, count(*) FROM new_errors
   GROUP BY parent_job_id, child_job_id, table_name, code, stage
   ORDER BY parent_job_id, child_job_id, table_name, code, stage
  ON CONFLICT (parent_job_id, child_job_id, table_name, code, stage) DO UPDATE SET n = sync_error_counts.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION sync_error_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE g record;
BEGIN
  FOR g IN SELECT parent_job_id, child_job_id, table_name, code, stage, count(*) AS n FROM old_errors
            GROUP BY parent_job_id, child_job_id, table_name, code, stage
            ORDER BY parent_job_id, child_job_id, table_name, code, stage LOOP
    UPDATE sync_error_counts SET n = n - g.n
     WHERE parent_job_id = g.parent_job_id AND child_job_id = g.child_job_id AND table_name = g.table_name
       AND code = g.code AND stage = g.stage;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sync_errors_count_insert AFTER INSERT ON sync_errors
  REFERENCING NEW TABLE AS new_errors FOR EACH STATEMENT EXECUTE FUNCTION sync_error_counts_add();
--> statement-breakpoint
CREATE TRIGGER sync_errors_count_delete AFTER DELETE ON sync_errors
  REFERENCING OLD TABLE AS old_errors FOR EACH STATEMENT EXECUTE FUNCTION sync_error_counts_remove();
--> statement-breakpoint
-- Errors are never edited today; if one ever is, its counts move with it.
CREATE TRIGGER sync_errors_count_update_old AFTER UPDATE ON sync_errors
  REFERENCING OLD TABLE AS old_errors FOR EACH STATEMENT EXECUTE FUNCTION sync_error_counts_remove();
--> statement-breakpoint
CREATE TRIGGER sync_errors_count_update_new AFTER UPDATE ON sync_errors
  REFERENCING NEW TABLE AS new_errors FOR EACH STATEMENT EXECUTE FUNCTION sync_error_counts_add();
--> statement-breakpoint
-- Existing rows: the migration holds the triggers' table locks, so nothing slips between count and trigger.
INSERT INTO sync_job_counts (sync_id, status, n) SELECT sync_id, status, count(*) FROM sync_jobs GROUP BY sync_id, status;
--> statement-breakpoint
INSERT INTO sync_error_counts (parent_job_id, child_job_id, table_name, code, stage, n)
SELECT parent_job_id, child_job_id, table_name, code, stage, count(*) FROM sync_errors
 GROUP BY parent_job_id, child_job_id, table_name, code, stage;
