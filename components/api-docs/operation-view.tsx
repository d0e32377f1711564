import { cn } from "@/components/ui/cn";
import { declaredExamples, exampleText, type Schemas } from "./examples";
import { InlineMarkdown } from "./inline-markdown";
import { SchemaView, typeLabel } from "./schema-view";
import type { MediaType, Operation } from "./types";

const methodTone: Record<string, string> = {
  get: "bg-blue-50 text-blue-800 ring-blue-200",
  post: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  put: "bg-amber-50 text-amber-800 ring-amber-200",
  patch: "bg-amber-50 text-amber-800 ring-amber-200",
  delete: "bg-red-50 text-red-800 ring-red-200",
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={cn(
        "inline-block w-14 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-[11px] font-semibold uppercase ring-1 ring-inset",
        methodTone[method] ?? "bg-zinc-100 text-zinc-800 ring-zinc-200",
      )}
    >
      {method}
    </span>
  );
}

const h = "mb-1.5 mt-4 text-xs font-semibold uppercase tracking-wide text-zinc-600";

/** An example as it goes over the wire, in a scrollable block so long lines never widen the page. */
function Example({ label, media, schemas }: { label: string; media: MediaType | undefined; schemas: Schemas }) {
  return declaredExamples(media, schemas).map((example, i) => (
    <figure key={i} className="mt-2">
      <figcaption className="text-[11px] font-medium text-zinc-600">
        {label}
        {example.summary && `: ${example.summary}`}
      </figcaption>
      <pre
        tabIndex={0}
        className="mt-1 max-h-72 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-[11.5px] leading-relaxed text-zinc-100"
      >
        {exampleText(example.value)}
      </pre>
    </figure>
  ));
}

const firstMedia = (content: Record<string, MediaType> | undefined) => Object.entries(content ?? {})[0] as [string, MediaType] | undefined;

/** One operation, folded to a line until opened (native <details>: keyboard and screen-reader friendly). */
export function OperationView({ method, path, op, schemas }: { method: string; path: string; op: Operation; schemas: Schemas }) {
  const body = firstMedia(op.requestBody?.content);
  const responses = Object.entries(op.responses ?? {});
  const success = responses.find(([status, r]) => status.startsWith("2") && r.content);
  return (
    <details id={op.operationId} className="group rounded-lg border border-zinc-200 bg-white open:shadow-sm" data-testid="api-operation">
      <summary className="flex cursor-pointer list-none items-center gap-3 px-3 py-2 hover:bg-zinc-50">
        <MethodBadge method={method} />
        <code className="min-w-0 break-all font-mono text-[13px] text-zinc-900">{path}</code>
        <span className="ml-auto hidden truncate text-xs text-zinc-600 md:inline">{op.summary}</span>
      </summary>
      <div className="min-w-0 border-t border-zinc-200 px-4 pb-4 pt-2 text-[13px] [overflow-wrap:anywhere]">
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
            <div className="overflow-x-auto">
              <table className="w-full text-[12.5px]">
                <thead>
                  <tr className="text-left text-xs text-zinc-600">
                    <th scope="col" className="py-1 pr-3 font-medium">
                      Name
                    </th>
                    <th scope="col" className="py-1 pr-3 font-medium">
                      In
                    </th>
                    <th scope="col" className="py-1 pr-3 font-medium">
                      Type
                    </th>
                    <th scope="col" className="py-1 font-medium">
                      Description
                    </th>
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
                        {typeLabel(p.schema, schemas)}
                        {p.schema?.default !== undefined && <span className="text-zinc-500"> = {JSON.stringify(p.schema.default)}</span>}
                      </td>
                      <td className="py-1 align-top text-zinc-700">
                        <InlineMarkdown text={p.description ?? p.schema?.description} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        {body && (
          <>
            <h3 className={h}>
              Request body <span className="font-mono normal-case text-zinc-500">{typeLabel(body[1].schema, schemas)}</span>
            </h3>
            {body[1].schema && <SchemaView schema={body[1].schema} schemas={schemas} />}
            <Example label={`Example request (${body[0]})`} media={body[1]} schemas={schemas} />
          </>
        )}
        <h3 className={h}>Responses</h3>
        <ul className="space-y-1">
          {responses.map(([status, r]) => {
            const media = firstMedia(r.content);
            return (
              <li key={status} className="flex flex-wrap items-baseline gap-x-2">
                <code className={cn("font-mono text-[12px] font-semibold", status.startsWith("2") ? "text-emerald-700" : "text-red-700")}>
                  {status}
                </code>
                <span className="text-zinc-700">
                  <InlineMarkdown text={r.description} />
                </span>
                {media && (
                  <span className="font-mono text-[11px] text-zinc-500">
                    {media[0] === "application/json" ? typeLabel(media[1].schema, schemas) : media[0]}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
        {success && firstMedia(success[1].content)?.[0] === "application/json" && (
          <details className="mt-2">
            <summary className="cursor-pointer text-xs font-medium text-zinc-700">Fields of the {success[0]} response</summary>
            <div className="mt-1">
              <SchemaView schema={firstMedia(success[1].content)![1].schema ?? {}} schemas={schemas} />
            </div>
          </details>
        )}
        {success && (
          <Example
            label={`Example response ${success[0]} (${firstMedia(success[1].content)?.[0]})`}
            media={firstMedia(success[1].content)?.[1]}
            schemas={schemas}
          />
        )}
      </div>
    </details>
  );
}
