import { type SourceConfig, sourceSchema } from "@/lib/contracts/sync-config";
import { PostgresCdcSource } from "./cdc/source";
import { PostgresSourceAdapter } from "./postgres";
import { SampleSourceAdapter } from "./sample";
import type { Source } from "./types";

export function sourceFor(config: unknown): Source {
  const parsed: SourceConfig = sourceSchema.parse(config);
  if (parsed.type === "sample") return new SampleSourceAdapter(parsed);
  // Change data capture reads the sync's logical replication slot instead of scanning the table.
  return parsed.replication === "logical" ? new PostgresCdcSource(parsed) : new PostgresSourceAdapter(parsed);
}
