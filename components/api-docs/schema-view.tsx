import { InlineMarkdown } from "./inline-markdown";
import type { JsonSchema } from "./types";

const refName = (ref: string) => ref.split("/").pop() ?? ref;

/** "string", "integer ≤ 500", "array of SyncJob", "one of: a | b". */
export function typeLabel(s: JsonSchema | undefined): string {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeLabel).join(" | ");
  if (s.allOf) return s.allOf.map(typeLabel).join(" & ");
  const t = Array.isArray(s.type) ? s.type.filter((x) => x !== "null").join(" | ") + (s.type.includes("null") ? " | null" : "") : s.type;
  if (t === "array") return `array of ${typeLabel(s.items)}`;
  return [t ?? "object", s.format && `(${s.format})`].filter(Boolean).join(" ");
}

function resolve(s: JsonSchema, schemas: Record<string, JsonSchema>): JsonSchema {
  return s.$ref ? (schemas[refName(s.$ref)] ?? s) : s;
}

/** An object's fields as a compact table, nested objects indented (depth-limited; refs open once). */
export function SchemaView({ schema, schemas, depth = 0, seen = [] }: { schema: JsonSchema; schemas: Record<string, JsonSchema>; depth?: number; seen?: string[] }) {
  const ref = schema.$ref ? refName(schema.$ref) : undefined;
  if (ref && seen.includes(ref)) return null;
  let s = resolve(schema, schemas);
  if (s.type === "array" && s.items) s = resolve(s.items, schemas);
  const variants = s.oneOf ?? s.anyOf;
  if (variants && !s.properties) {
    return (
      <div className="space-y-2">
        {variants.map((v, i) => (
          <div key={i}>
            <p className="text-xs text-zinc-600">Variant {typeLabel(v)}</p>
            <SchemaView schema={v} schemas={schemas} depth={depth + 1} seen={ref ? [...seen, ref] : seen} />
          </div>
        ))}
      </div>
    );
  }
  if (!s.properties) return null;
  const required = new Set(s.required ?? []);
  return (
    <ul className={depth ? "ml-4 border-l border-zinc-200 pl-3" : undefined}>
      {Object.entries(s.properties).map(([name, prop]) => {
        const inner = resolve(prop.type === "array" && prop.items ? prop.items : prop, schemas);
        return (
          <li key={name} className="py-1">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <code className="font-mono text-[12px] font-medium text-zinc-900">{name}</code>
              <span className="font-mono text-[11px] text-zinc-600">{typeLabel(prop)}</span>
              {required.has(name) && <span className="text-[11px] font-medium text-red-700">required</span>}
            </div>
            {(prop.description ?? inner.description) && (
              <p className="text-xs text-zinc-600">
                <InlineMarkdown text={prop.description ?? inner.description} />
              </p>
            )}
            {depth < 2 && inner.properties && (
              <SchemaView schema={prop.type === "array" && prop.items ? prop.items : prop} schemas={schemas} depth={depth + 1} seen={ref ? [...seen, ref] : seen} />
            )}
          </li>
        );
      })}
    </ul>
  );
}
