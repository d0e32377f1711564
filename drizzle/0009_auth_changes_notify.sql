-- Web processes keep verified API keys and sessions in memory for a few seconds (lib/auth/principal-cache.ts).
-- Any change that can take a credential away or alter what it may do (a revoked, expired, narrowed or deleted
-- key; a deleted session; a user whose role or password changed, or who was deleted) tells every web process
-- to drop its cache at commit, so the change takes effect at once everywhere. Statement level: a bulk change
-- is one notification. `last_used_at` stamps are not among the columns, so bookkeeping never empties a cache.
CREATE FUNCTION notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auth_changed', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_keys_auth_changed AFTER UPDATE OF token_hash, scopes, revoked_at, expires_at, rate_limit_per_minute, name OR DELETE OR TRUNCATE
  ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
--> statement-breakpoint
CREATE TRIGGER sessions_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE
  ON sessions FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
--> statement-breakpoint
CREATE TRIGGER users_auth_changed AFTER UPDATE OF email, role, password_hash OR DELETE OR TRUNCATE
  ON users FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
