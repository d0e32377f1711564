import fs from "node:fs";
import postgres from "postgres";
import { DATABASE_URL_FILE } from "./env";

/**
 * Volume for page benchmarks, inserted set-based straight into the test server's database (one
 * statement per table, not thousands of API calls): `integrations` × `syncsEach` sample syncs with
 * a few jobs each — mostly completed, some failed (with a failed table job), some never run, some
 * disabled. Nothing is queued, so the workers leave it alone. `drop()` removes it all (cascades).
 */
export async function seedBulkOverview(opts: { tag: string; integrations: number; syncsEach: number }) {
  const sql = postgres(fs.readFileSync(DATABASE_URL_FILE, "utf8").trim(), { max: 1, onnotice: () => {} });
  const { tag, integrations, syncsEach } = opts;
  // 24-hex ids from a tag-specific prefix, so two runs never collide.
  const prefix = Buffer.from(tag).toString("hex").slice(0, 8).padEnd(8, "0");
  await sql.begin(async (tx) => {
    await tx`
      insert into integrations (id, name, created_at, updated_at)
      select ${prefix} || 'a' || lpad(to_hex(i), 15, '0'), ${tag} || ' integration ' || lpad(i::text, 3, '0'), now(), now()
      from generate_series(1, ${integrations}) i`;
    await tx`
      insert into syncs (id, integration_id, name, source, destination, tables, disabled, created_at, updated_at)
      select ${prefix} || 'b' || lpad(to_hex(n), 15, '0'),
             ${prefix} || 'a' || lpad(to_hex((n - 1) / ${syncsEach} + 1), 15, '0'),
             'Sync ' || n,
             jsonb_build_object('type', 'sample', 'seed', n, 'tables', jsonb_build_array(jsonb_build_object('name', 'items', 'rows', 10))),
             jsonb_build_object('type', 'postgres', 'schema', 'wh_bulk_' || ${prefix} || '_' || n),
             array['items'], n % 20 = 0, now(), now()
      from generate_series(1, ${integrations * syncsEach}) n`;
    // Three runs per sync that has run (n % 10 = 1 never ran); the newest failed for n % 15 = 2.
    await tx`
      insert into sync_jobs (id, flow_execution_group_id, sync_id, integration_id, run_type, status, triggered_by,
                             error_message, created_at, started_at, ended_at, num_extracted_records, num_loaded_records, num_errors)
      select ${prefix} || 'c' || lpad(to_hex(n * 4 + k), 15, '0'), md5(n::text || k::text),
             ${prefix} || 'b' || lpad(to_hex(n), 15, '0'),
             ${prefix} || 'a' || lpad(to_hex((n - 1) / ${syncsEach} + 1), 15, '0'),
             'normal', case when k = 3 and n % 15 = 2 then 'failed' else 'completed' end, 'schedule',
             case when k = 3 and n % 15 = 2 then 'Table items failed: SOURCE_REFUSED' end,
             now() - (4 - k) * interval '1 hour' - n * interval '1 second',
             now() - (4 - k) * interval '1 hour' - n * interval '1 second',
             now() - (4 - k) * interval '1 hour' - n * interval '1 second' + interval '20 seconds',
             10, 10, case when n % 7 = 0 then 3 else 0 end
      from generate_series(1, ${integrations * syncsEach}) n, generate_series(1, 3) k
      where n % 10 <> 1`;
    await tx`
      insert into table_jobs (id, sync_job_id, sync_id, table_name, status, started_at, ended_at, error_code, error_message)
      select ${prefix} || 'd' || lpad(to_hex(n), 15, '0'), ${prefix} || 'c' || lpad(to_hex(n * 4 + 3), 15, '0'),
             ${prefix} || 'b' || lpad(to_hex(n), 15, '0'), 'items', 'failed', now() - interval '1 hour', now() - interval '1 hour',
             'SOURCE_REFUSED', 'the source refused the export'
      from generate_series(1, ${integrations * syncsEach}) n
      where n % 10 <> 1 and n % 15 = 2`;
  });
  return {
    drop: async () => {
      await sql`delete from integrations where id like ${`${prefix}a%`}`;
      await sql.end({ timeout: 5 });
    },
  };
}
