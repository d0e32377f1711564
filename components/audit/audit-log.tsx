"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
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
import { AuditChanges } from "./audit-changes";

const PAGE_SIZE = 50;
const th = "px-3 py-2 text-left text-xs font-medium text-zinc-600";
const td = "px-3 py-2 align-top";

type Filters = { action: string; targetType: string; targetId: string };

/** GET /v1/audit with filters and keyset pages (a stack of the cursors of the pages before this one). */
export function AuditLog() {
  const [filters, setFilters] = useState<Filters>({ action: "", targetType: "", targetId: "" });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    queryKey: ["audit", filters, cursor ?? null],
    queryFn: ({ signal }) =>
      apiGet<{ data: AuditEventT[]; nextCursor?: string }>(
        `/v1/audit${qs({ limit: PAGE_SIZE, cursor, action: filters.action || undefined, targetType: filters.targetType || undefined, targetId: filters.targetId.trim() || undefined })}`,
        signal,
      ),
  });
  const setFilter = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([]);
  };

  return (
    <Card
      bodyClassName="p-0"
      title={
        <div className="flex flex-wrap items-end gap-3">
          <SelectField label="Action" id="audit-action" value={filters.action} onChange={(e) => setFilter({ action: e.target.value })}>
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
            value={filters.targetType}
            onChange={(e) => setFilter({ targetType: e.target.value })}
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
            placeholder="e.g. a sync id"
            value={filters.targetId}
            maxLength={100}
            onChange={(e) => setFilter({ targetId: e.target.value })}
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
          <div className="overflow-x-auto">
            <table className="w-full min-w-[760px] text-[13px]">
              <caption className="sr-only">Audit events, newest first</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50/60">
                <tr>
                  <th scope="col" className={th}>
                    When
                  </th>
                  <th scope="col" className={th}>
                    Who
                  </th>
                  <th scope="col" className={th}>
                    Action
                  </th>
                  <th scope="col" className={th}>
                    Object
                  </th>
                  <th scope="col" className={th}>
                    What changed
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {page.data.data.map((e) => (
                  <tr key={e._id} data-testid="audit-row">
                    <td className={`${td} whitespace-nowrap`}>
                      <DateTime iso={e.createdAt} />
                    </td>
                    <td className={td}>
                      {e.principal.name}{" "}
                      <Pill tone={e.principal.kind === "user" ? "violet" : "blue"}>
                        {e.principal.kind === "apiKey" ? "API key" : e.principal.kind}
                      </Pill>
                    </td>
                    <td className={`${td} font-mono text-[12px]`}>{e.action}</td>
                    <td className={td}>
                      <span className="text-zinc-500">{e.target.type.replace("_", " ")}</span>{" "}
                      <span className="font-mono text-[12px]">{e.target._id}</span>
                    </td>
                    <td className={td}>
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
