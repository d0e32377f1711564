"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/form";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Pill } from "@/components/ui/status-badge";
import { DateTime } from "@/components/ui/time";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "@/lib/contracts/audit-actions";
import type { AuditEventT } from "@/lib/contracts/audit";
import { apiGet, qs } from "@/lib/ui/api-client";
import { useCursorStack } from "@/lib/ui/hooks/use-cursor-stack";
import { useUrlFilters } from "@/lib/ui/hooks/use-url-filters";
import { useUrlSearch } from "@/lib/ui/hooks/use-url-search";
import { AuditChanges } from "./audit-changes";

const PAGE_SIZE = 50;
const th = "px-3 py-2 text-left text-xs font-medium text-zinc-600";
// Below `sm` each event is a stacked card (cells as blocks, one under the other) instead of a
// 760 px table scrolled sideways with its details squeezed into a narrow, very tall cell. The
// explicit ARIA roles keep the table's semantics when its elements are displayed as blocks.
const td = "px-3 py-2 align-top max-sm:py-0.5 max-sm:pl-4 max-sm:pr-0";
const KEYS = ["action", "targetType", "targetId"] as const;

/**
 * GET /v1/audit with filters kept in the URL (so "the audit of this sync" can be linked) and
 * keyset pages (a stack of the cursors of the pages before this one).
 */
export function AuditLog() {
  const [url, setUrl] = useUrlFilters(KEYS);
  const filters = useMemo(
    () => ({ action: url.action, targetType: url.targetType, targetId: url.targetId }),
    [url.action, url.targetType, url.targetId],
  );
  const setTargetId = useCallback((targetId: string | undefined) => setUrl({ targetId }), [setUrl]);
  const [targetId, setTargetIdText] = useUrlSearch(url.targetId, setTargetId);
  const [cursors, setCursors] = useCursorStack(JSON.stringify(filters));
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ["audit", filters, cursor ?? null],
    queryFn: ({ signal }) =>
      apiGet<{ data: AuditEventT[]; nextCursor?: string }>(`/v1/audit${qs({ limit: PAGE_SIZE, cursor, ...filters })}`, signal),
  });

  return (
    <Card
      bodyClassName="p-0"
      title={
        <div className="grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap">
          <SelectField
            label="Action"
            id="audit-action"
            value={filters.action ?? ""}
            onChange={(e) => setUrl({ action: e.target.value || undefined })}
          >
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Object"
            id="audit-target-type"
            value={filters.targetType ?? ""}
            onChange={(e) => setUrl({ targetType: e.target.value || undefined })}
          >
            <option value="">Any object</option>
            {AUDIT_TARGET_TYPES.map((t) => (
              <option key={t} value={t}>
                {t.replace("_", " ")}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Object id"
            id="audit-target-id"
            className="col-span-2"
            placeholder="e.g. a sync id"
            value={targetId}
            maxLength={100}
            onChange={(e) => setTargetIdText(e.target.value)}
          />
        </div>
      }
    >
      {page.error ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} title="Could not load the audit log" className="m-4" />
      ) : !page.data ? (
        <TableSkeleton rows={4} cols={5} label="Loading the audit log" />
      ) : !page.data.data.length ? (
        <EmptyState title="No events" className="m-4">
          {filters.action || filters.targetType || filters.targetId
            ? "Nothing matches these filters."
            : "Changes and runs will be listed here."}
        </EmptyState>
      ) : (
        <>
          <div className="sm:overflow-x-auto">
            <table role="table" className="w-full text-[13px] max-sm:block sm:min-w-[760px]">
              <caption className="sr-only">Audit events, newest first</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50/60 max-sm:sr-only">
                <tr role="row">
                  <th role="columnheader" scope="col" className={th}>
                    When
                  </th>
                  <th role="columnheader" scope="col" className={th}>
                    Who
                  </th>
                  <th role="columnheader" scope="col" className={th}>
                    Action
                  </th>
                  <th role="columnheader" scope="col" className={th}>
                    Object
                  </th>
                  <th role="columnheader" scope="col" className={th}>
                    What changed
                  </th>
                </tr>
              </thead>
              <tbody role="rowgroup" className="divide-y divide-zinc-100 max-sm:block">
                {page.data.data.map((e) => (
                  <tr
                    key={e._id}
                    role="row"
                    data-testid="audit-row"
                    className="max-sm:flex max-sm:flex-wrap max-sm:items-baseline max-sm:py-2 max-sm:pr-4"
                  >
                    <td role="cell" className={`${td} whitespace-nowrap max-sm:text-xs max-sm:text-zinc-500`}>
                      <DateTime iso={e.createdAt} />
                    </td>
                    <td role="cell" className={td}>
                      {e.principal.name}{" "}
                      <Pill tone={e.principal.kind === "user" ? "violet" : "blue"}>
                        {e.principal.kind === "apiKey" ? "API key" : e.principal.kind}
                      </Pill>
                    </td>
                    <td role="cell" className={`${td} font-mono text-[12px]`}>
                      {e.action}
                    </td>
                    <td role="cell" className={`${td} max-sm:break-all`}>
                      <span className="text-zinc-500">{e.target.type.replace("_", " ")}</span>{" "}
                      <span className="font-mono text-[12px]">{e.target._id}</span>
                    </td>
                    <td role="cell" className={`${td} max-sm:basis-full max-sm:pt-1`}>
                      <AuditChanges changes={e.changes} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="flex items-center justify-end gap-1.5 border-t border-zinc-200 px-4 py-2">
            <Button size="xs" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Newer
            </Button>
            <Button
              size="xs"
              disabled={!page.data.nextCursor}
              onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data!.nextCursor!])}
            >
              Older
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}
