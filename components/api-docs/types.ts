/** The slice of OpenAPI 3.1 the reference page renders. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  const?: unknown;
  nullable?: boolean;
  example?: unknown;
  examples?: unknown[];
  additionalProperties?: boolean | JsonSchema;
};
export type MediaType = { schema?: JsonSchema; example?: unknown; examples?: Record<string, { summary?: string; value?: unknown }> };
export type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema };
export type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>;
  "x-required-scope"?: string;
};
export type OpenApiDoc = {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
