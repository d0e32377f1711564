import type { Metadata } from "next";
import { InlineMarkdown } from "@/components/api-docs/inline-markdown";
import { OperationView } from "@/components/api-docs/operation-view";
import type { OpenApiDoc, Operation } from "@/components/api-docs/types";
import { PageHeader } from "@/components/ui/page-header";
import { openApiDocument } from "@/lib/contracts/openapi";
import { requireUser } from "@/lib/ui/server/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API reference" };

const METHODS = ["get", "post", "put", "patch", "delete"];
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** The /v1 reference, rendered on the server from the same document /v1/openapi.json serves. */
export default async function ApiDocsPage() {
  await requireUser("/api-docs");
  const doc = openApiDocument() as unknown as OpenApiDoc;
  const schemas = doc.components?.schemas ?? {};
  const groups = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!METHODS.includes(method)) continue;
      const tag = op.tags?.[0] ?? "Other";
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, op }]);
    }
  }
  return (
    <>
      <PageHeader
        title="API reference"
        meta={
          <>
            <span>
              {doc.info.title} {doc.info.version}
            </span>
            <a href="/v1/openapi.json" className="font-medium text-blue-700 underline">
              openapi.json
            </a>
          </>
        }
      />
      <div className="grid grid-cols-[minmax(0,1fr)] items-start gap-6 lg:grid-cols-[200px_minmax(0,1fr)]">
        <nav aria-label="API sections" className="text-[13px] lg:sticky lg:top-16">
          <ul className="space-y-1">
            {[...groups.keys()].map((tag) => (
              <li key={tag}>
                <a href={`#${slug(tag)}`} className="text-zinc-700 hover:text-zinc-900 hover:underline">
                  {tag}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="min-w-0 space-y-8">
          <section className="rounded-lg border border-zinc-200 bg-white p-4 text-[13px] text-zinc-700">
            <p>
              <InlineMarkdown text={doc.info.description} />
            </p>
            <p className="mt-2">
              Authenticate with <code className="rounded bg-zinc-100 px-1 font-mono text-[12px]">Authorization: Bearer sc_…</code>; create
              keys under Settings.
            </p>
          </section>
          {[...groups.entries()].map(([tag, ops]) => (
            <section key={tag} aria-labelledby={slug(tag)}>
              <h2 id={slug(tag)} className="mb-2 scroll-mt-16 text-sm font-semibold text-zinc-900">
                {tag}
              </h2>
              <div className="space-y-1.5">
                {ops.map((o) => (
                  <OperationView key={`${o.method} ${o.path}`} {...o} schemas={schemas} />
                ))}
              </div>
            </section>
          ))}
        </div>
      </div>
    </>
  );
}
