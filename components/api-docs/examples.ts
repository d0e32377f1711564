import type { JsonSchema, MediaType } from "./types";

export type Schemas = Record<string, JsonSchema>;
const NONE = Symbol("no example");
type Found = unknown | typeof NONE;

export const refName = (ref: string) => ref.split("/").pop() ?? ref;
export const resolveRef = (s: JsonSchema, schemas: Schemas): JsonSchema => (s.$ref ? (schemas[refName(s.$ref)] ?? s) : s);

/**
 * The example a schema declares for itself: its own `example`, or its reference's, or (for an
 * array) one of its items'. Nothing is made up, so a missing example is visible (the OpenAPI test
 * requires one on every request and response).
 */
function declared(s: JsonSchema | undefined, schemas: Schemas, seen: string[] = []): Found {
  if (!s) return NONE;
  if (s.example !== undefined) return s.example;
  if (s.examples?.length) return s.examples[0];
  if (s.$ref) {
    const name = refName(s.$ref);
    return seen.includes(name) ? NONE : declared(schemas[name], schemas, [...seen, name]);
  }
  if (s.type === "array" && s.items) {
    const item = declared(s.items, schemas, seen);
    return item === NONE ? NONE : [item];
  }
  return NONE;
}

export type NamedExample = { summary?: string; value: unknown };

/** Every example of a request or response body: its named `examples`, else the one `example`, else the schema's. */
export function declaredExamples(media: MediaType | undefined, schemas: Schemas): NamedExample[] {
  if (!media) return [];
  const named = Object.values(media.examples ?? {}).filter((e) => e.value !== undefined) as NamedExample[];
  if (named.length) return named;
  if (media.example !== undefined) return [{ value: media.example }];
  const v = declared(media.schema, schemas);
  return v === NONE ? [] : [{ value: v }];
}

export const declaredExample = (media: MediaType | undefined, schemas: Schemas): NamedExample | undefined =>
  declaredExamples(media, schemas)[0];

/** How an example is shown: JSON pretty-printed, text (SSE, CSV) as it is on the wire. */
export const exampleText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value, null, 2));
