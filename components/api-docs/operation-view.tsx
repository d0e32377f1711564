import { cn } from "@/components/ui/cn";
import { InlineMarkdown } from "./inline-markdown";
import { SchemaView, typeLabel } from "./schema-view";
import type { JsonSchema, Operation } from "./types";

const methodTone: Record<string, string> = {
  get: "bg-blue-50 text-blue-800 ring-blue-200",
  post: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  put: "bg-amber-50 text-amber-800 ring-amber-200",
  patch: "bg-amber-50 text-amber-800 ring-amber-200",
  delete: "bg-red-50 text-red-800 ring-red-200",
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span className={cn("inline-block w-14 rounded px-1.5 py-0.5 text-center font-mono text-[11px] font-semibold uppercase ring-1 ring-inset", methodTone[method] ?? "bg-zinc-100 text-zinc-800 ring-zinc-200")}>
      {method}
    </span>
  );
}

const h = "mb-1.5 mt-4 text-xs font-semibold uppercase tracking-wide text-zinc-600";

/** One operation, folded to a line until opened (native <details>: keyboard and screen-reader friendly). */
export function OperationView({ method, path, op, schemas }: { method: string; path: string; op: Operation; schemas: Record<string, JsonSchema> }) {
  const body = op.requestBody?.content?.["application/json"]?.schema;
  return (
    <details id={op.operationId} className="group rounded-lg border border-zinc-200 bg-white open:shadow-sm">
      <summary className="flex cursor-pointer list-none items-center gap-3 px-3 py-2 hover:bg-zinc-50">
        <MethodBadge method={method} />
        <code className="font-mono text-[13px] text-zinc-900">{path}</code>
        <span className="ml-auto hidden truncate text-xs text-zinc-600 md:inline">{op.summary}</span>
      </summary>
      <div className="border-t border-zinc-200 px-4 pb-4 pt-2 text-[13px]">
        {op.summary && <p className="font-medium text-zinc-900">{op.summary}</p>}
        {op.description && (
          <p className="mt-1 text-zinc-700">
            <InlineMarkdown text={op.description} />
          </p>
        )}
        {op["x-required-scope"] && (
          <p className="mt-1 text-xs text-zinc-600">
            Scope: <code className="font-mono">{op["x-required-scope"]}</code>
          </p>
        )}
        {!!op.parameters?.length && (
          <>
            <h3 className={h}>Parameters</h3>
            <table className="w-full text-[12.5px]">
              <thead>
                <tr className="text-left text-xs text-zinc-600">
                  <th scope="col" className="py-1 pr-3 font-medium">Name</th>
                  <th scope="col" className="py-1 pr-3 font-medium">In</th>
                  <th scope="col" className="py-1 pr-3 font-medium">Type</th>
                  <th scope="col" className="py-1 font-medium">Description</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {op.parameters.map((p) => (
                  <tr key={`${p.in}-${p.name}`}>
                    <td className="py-1 pr-3 align-top">
                      <code className="font-mono font-medium">{p.name}</code>
                      {p.required && <span className="ml-1 text-[11px] text-red-700">required</span>}
                    </td>
                    <td className="py-1 pr-3 align-top text-zinc-600">{p.in}</td>
                    <td className="py-1 pr-3 align-top font-mono text-[11px] text-zinc-700">
                      {typeLabel(p.schema)}
                      {p.schema?.default !== undefined && <span className="text-zinc-500"> = {JSON.stringify(p.schema.default)}</span>}
                    </td>
                    <td className="py-1 align-top text-zinc-700">
                      <InlineMarkdown text={p.description ?? p.schema?.description} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {body && (
          <>
            <h3 className={h}>
              Request body <span className="font-mono normal-case text-zinc-500">{typeLabel(body)}</span>
            </h3>
            <SchemaView schema={body} schemas={schemas} />
          </>
        )}
        <h3 className={h}>Responses</h3>
        <ul className="space-y-1">
          {Object.entries(op.responses ?? {}).map(([status, r]) => {
            const schema = r.content?.["application/json"]?.schema;
            return (
              <li key={status} className="flex flex-wrap items-baseline gap-x-2">
                <code className={cn("font-mono text-[12px] font-semibold", status.startsWith("2") ? "text-emerald-700" : "text-red-700")}>{status}</code>
                <span className="text-zinc-700">
                  <InlineMarkdown text={r.description} />
                </span>
                {schema && <span className="font-mono text-[11px] text-zinc-500">{typeLabel(schema)}</span>}
              </li>
            );
          })}
        </ul>
      </div>
    </details>
  );
}
