import { refName, resolveRef, type Schemas } from "./examples";
import { InlineMarkdown } from "./inline-markdown";
import type { JsonSchema } from "./types";

const isNull = (s: JsonSchema) => s.type === "null";
/** A member that only annotates (zod-to-openapi wraps a described $ref as `allOf: [$ref, {description}]`). */
const isAnnotation = (s: JsonSchema) =>
  !s.$ref && !s.type && !s.properties && !s.enum && s.const === undefined && !s.anyOf && !s.oneOf && !s.allOf && !s.items;

/** The alternatives of a union without its `null` member, and whether null is allowed. */
function alternatives(s: JsonSchema): { alts: JsonSchema[]; nullable: boolean } | undefined {
  const list = s.oneOf ?? s.anyOf;
  if (!list) return undefined;
  return { alts: list.filter((x) => !isNull(x)), nullable: list.some(isNull) };
}

/** The one literal a property must have (`type: "sample"`), which tells a union's variants apart. */
function discriminator(s: JsonSchema, schemas: Schemas): string | undefined {
  const props = flatten(s, schemas).properties ?? {};
  for (const [name, p] of Object.entries(props)) {
    const lit = p.const ?? (p.enum?.length === 1 ? p.enum[0] : undefined);
    if (lit !== undefined) return `${name} = ${JSON.stringify(lit)}`;
  }
  return undefined;
}

/**
 * A readable type: "string (date-time) or null", "array of SyncJob", `"normal" or "resync"`,
 * "Schedule or null". `allOf` of a reference and an annotation is that reference; an `allOf` that
 * extends one is an object (its fields are listed below it).
 */
export function typeLabel(s: JsonSchema | undefined, schemas: Schemas = {}): string {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.length === 1 ? JSON.stringify(s.enum[0]) : s.enum.map((v) => JSON.stringify(v)).join(" or ");
  if (s.allOf) {
    const real = s.allOf.filter((m) => !isAnnotation(m));
    return real.length === 1 ? typeLabel(real[0], schemas) : "object";
  }
  const union = alternatives(s);
  if (union) {
    const labels = union.alts.map((a) => {
      const label = typeLabel(a, schemas);
      const tag = label === "object" ? discriminator(a, schemas) : undefined;
      return tag ? `object (${tag})` : label;
    });
    return [...new Set(labels)].join(" or ") + (union.nullable ? " or null" : "");
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const nullable = types.includes("null") || s.nullable === true;
  const main = types.filter((t) => t !== "null");
  if (!main.length && !s.properties) return nullable ? "null" : "any JSON value";
  const base = main
    .map((t) => (t === "array" ? `array of ${typeLabel(s.items, schemas)}` : s.format && t === "string" ? `string (${s.format})` : t))
    .join(" or ");
  return `${base || "object"}${nullable ? " or null" : ""}`;
}

/** Resolves references and merges `allOf` members into one object schema (properties and required). */
export function flatten(s: JsonSchema, schemas: Schemas, seen: string[] = []): JsonSchema {
  if (s.$ref) {
    const name = refName(s.$ref);
    if (seen.includes(name)) return {};
    return flatten(resolveRef(s, schemas), schemas, [...seen, name]);
  }
  if (!s.allOf) return s;
  const parts = s.allOf.map((m) => flatten(m, schemas, seen));
  const real = parts.filter((p) => !isAnnotation(p));
  const description = s.description ?? parts.find(isAnnotation)?.description;
  if (real.length === 1 && !real[0].properties) return { ...real[0], description: description ?? real[0].description };
  return {
    type: "object",
    description,
    properties: Object.assign({}, ...real.map((p) => p.properties ?? {})),
    required: real.flatMap((p) => p.required ?? []),
  };
}

const describe = (prop: JsonSchema, schemas: Schemas) => prop.description ?? flatten(prop, schemas).description;

function Constraints({ s, showEnum }: { s: JsonSchema; showEnum: boolean }) {
  const bits: string[] = [];
  if (showEnum && s.enum && s.enum.length > 1) bits.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (s.minimum !== undefined && s.maximum !== undefined) bits.push(`${s.minimum}–${s.maximum}`);
  else if (s.minimum !== undefined) bits.push(`≥ ${s.minimum}`);
  else if (s.maximum !== undefined) bits.push(`≤ ${s.maximum}`);
  if (s.default !== undefined) bits.push(`default ${JSON.stringify(s.default)}`);
  if (!bits.length) return null;
  return <span className="font-mono text-[11px] text-zinc-500">{bits.join(" · ")}</span>;
}

/** What to open below a property: its object fields, its items' fields, or its union's variants. */
function inner(prop: JsonSchema, schemas: Schemas): JsonSchema | undefined {
  let s = flatten(prop, schemas);
  if (s.type === "array" && s.items) s = flatten(s.items, schemas);
  return s.properties || alternatives(s)?.alts.some((a) => flatten(a, schemas).properties) ? s : undefined;
}

/** An object's fields as a compact list, nested objects and union variants indented (depth-limited). */
export function SchemaView({ schema, schemas, depth = 0 }: { schema: JsonSchema; schemas: Schemas; depth?: number }) {
  let s = flatten(schema, schemas);
  if (s.type === "array" && s.items) s = flatten(s.items, schemas);
  const union = alternatives(s);
  if (union && !s.properties) {
    return (
      <div className={depth ? "ml-4 space-y-2 border-l border-zinc-200 pl-3" : "space-y-2"}>
        {union.alts.map((v, i) => (
          <div key={i}>
            <p className="text-xs font-medium text-zinc-700">
              {i === 0 ? "Either" : "or"}{" "}
              {typeLabel(v, schemas) === "object" ? `an object with ${discriminator(v, schemas) ?? "these fields"}` : typeLabel(v, schemas)}
            </p>
            <SchemaView schema={v} schemas={schemas} depth={depth + 1} />
          </div>
        ))}
        {union.nullable && <p className="text-xs font-medium text-zinc-700">or null</p>}
      </div>
    );
  }
  if (!s.properties) return null;
  const required = new Set(s.required ?? []);
  return (
    <ul className={depth ? "ml-4 border-l border-zinc-200 pl-3" : undefined}>
      {Object.entries(s.properties).map(([name, prop]) => {
        const nested = depth < 3 ? inner(prop, schemas) : undefined;
        const text = describe(prop, schemas);
        return (
          <li key={name} className="py-1">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <code className="font-mono text-[12px] font-medium text-zinc-900">{name}</code>
              <span className="font-mono text-[11px] text-zinc-600">{typeLabel(prop, schemas)}</span>
              {required.has(name) && <span className="text-[11px] font-medium text-red-700">required</span>}
              <Constraints s={flatten(prop, schemas)} showEnum={!prop.enum} />
            </div>
            {text && (
              <p className="text-xs text-zinc-600">
                <InlineMarkdown text={text} />
              </p>
            )}
            {nested && <SchemaView schema={nested} schemas={schemas} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}
