import { type SourceConfig, sourceSchema } from "@/lib/syncs/config-schema";
import { PostgresSourceAdapter } from "./postgres";
import { SampleSourceAdapter } from "./sample";
import type { Source } from "./types";

export function sourceFor(config: unknown): Source {
  const parsed: SourceConfig = sourceSchema.parse(config);
  return parsed.type === "sample" ? new SampleSourceAdapter(parsed) : new PostgresSourceAdapter(parsed);
}
