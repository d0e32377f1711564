"use client";

import { memo, useState } from "react";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/time";
import type { SyncErrorT } from "@/lib/ui/types";

const td = "px-3 py-2 align-middle max-sm:py-1";

/** An error, one line until opened; opened, every field and a copy of the whole record. */
export const ErrorRow = memo(function ErrorRow({ error }: { error: SyncErrorT }) {
  const [open, setOpen] = useState(false);
  const detailsId = `err-${error._id}`;
  return (
    <>
      <tr
        role="row"
        className={cn("hover:bg-zinc-50/80 max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:py-1.5", open && "bg-zinc-50")}
        data-testid="error-row"
      >
        <td role="cell" className={cn(td, "w-6 max-sm:pr-0")}>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={open ? "Hide error details" : "Show error details"}
            onClick={() => setOpen((o) => !o)}
            className="rounded p-0.5 text-zinc-600 hover:bg-zinc-200"
          >
            <svg viewBox="0 0 16 16" className={cn("size-3.5 transition-transform", open && "rotate-90")} aria-hidden>
              <path d="M6 4l4 4-4 4" stroke="currentColor" strokeWidth="1.5" fill="none" />
            </svg>
          </button>
        </td>
        <td role="cell" className={cn(td, "whitespace-nowrap text-xs text-zinc-700")}>
          <DateTime iso={error.occurredAt} />
        </td>
        <td role="cell" className={cn(td, "font-mono text-xs text-zinc-900 max-sm:break-all")}>
          {error.tableName}
        </td>
        <td role="cell" className={cn(td, "max-sm:min-w-0")}>
          <code className="break-all rounded bg-red-50 px-1.5 py-0.5 font-mono text-[11px] text-red-800 ring-1 ring-inset ring-red-200">
            {error.code}
          </code>
        </td>
        <td role="cell" className={cn(td, "text-xs text-zinc-700")}>
          {error.stage}
        </td>
        {/* A phone gives the message a line of its own, wrapped: it is what one opens the page for. */}
        <td role="cell" className={cn(td, "w-full max-w-0 max-sm:max-w-none max-sm:basis-full")}>
          <p
            className={cn(
              "text-[13px] text-zinc-900",
              open ? "whitespace-pre-wrap break-words" : "truncate max-sm:line-clamp-3 max-sm:whitespace-normal max-sm:break-words",
            )}
            title={open ? undefined : error.message}
          >
            {error.message}
          </p>
        </td>
        <td role="cell" className={cn(td, "font-mono text-xs text-zinc-700 max-sm:break-all sm:whitespace-nowrap")}>
          {error.recordKey ?? "—"}
        </td>
        <td role="cell" className={cn(td, "text-right max-sm:ml-auto")}>
          <CopyButton
            text={() => JSON.stringify(error, null, 2)}
            label="Copy"
            aria-label={`Copy error ${error._id} as JSON`}
            copiedMessage="Error details copied"
          />
        </td>
      </tr>
      {open && (
        <tr id={detailsId} role="row" className="bg-zinc-50 max-sm:block">
          <td role="cell" className="max-sm:hidden" />
          <td role="cell" colSpan={7} className="px-3 pb-3 max-sm:block">
            <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 rounded-md border border-zinc-200 bg-white p-3 text-xs">
              {Object.entries(error).map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-zinc-600">{k}</dt>
                  <dd className="break-all font-mono text-zinc-900">{String(v)}</dd>
                </div>
              ))}
            </dl>
          </td>
        </tr>
      )}
    </>
  );
});
