"use client";

import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form";
import { type FieldErrors, newSampleTable, type SampleDraft } from "./wizard-state";

/**
 * The tables of a `sample` source with their options. Fault injection (fail after N rows, transient
 * failures) sits behind a disclosure: it is for demos and tests, not the first thing to fill in.
 */
export function SampleTablesEditor({
  tables,
  onChange,
  errors,
  fieldPrefix = "source.tables",
}: {
  tables: SampleDraft[];
  onChange: (next: SampleDraft[]) => void;
  errors: FieldErrors;
  fieldPrefix?: string;
}) {
  const set = (i: number, patch: Partial<SampleDraft>) => onChange(tables.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const err = (i: number, key: string) =>
    errors[`${fieldPrefix}.${i}.${key}`] ?? (key === "failWith" ? errors[`${fieldPrefix}.${i}.failWith.code`] : undefined);
  return (
    <div className="space-y-3">
      {tables.map((t, i) => {
        const id = `sample-${i}`;
        const field = (key: keyof SampleDraft, label: string, hint?: string, extra: Record<string, unknown> = {}) => {
          const message = err(i, key === "failCode" ? "failWith" : key);
          return (
            <div>
              <TextField
                id={`${id}-${key}`}
                label={label}
                value={t[key]}
                onChange={(e) => set(i, { [key]: e.target.value })}
                hint={hint}
                aria-invalid={message ? true : undefined}
                aria-describedby={message ? `${id}-${key}-error` : undefined}
                {...extra}
              />
              {message && (
                <p id={`${id}-${key}-error`} className="mt-1 text-xs text-red-700">
                  {message}
                </p>
              )}
            </div>
          );
        };
        return (
          <fieldset key={i} className="rounded-md border border-zinc-200 p-3">
            <legend className="px-1 text-[13px] font-medium text-zinc-800">
              Table {i + 1}
              {t.name ? `: ${t.name}` : ""}
            </legend>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {field("name", "Table name", "lowercase letters, digits and _", { spellCheck: false, autoComplete: "off" })}
              {field("rows", "Rows", undefined, { inputMode: "numeric" })}
              {field("changeRate", "Change rate", "share of rows modified on each later run, 0–1", {
                inputMode: "decimal",
                placeholder: "0",
              })}
              {field("badRecordRate", "Bad record rate", "share of rows the warehouse rejects, 0–1", {
                inputMode: "decimal",
                placeholder: "0",
              })}
              {field("rowsPerSecond", "Rows per second", "throttle, so a run can be watched", {
                inputMode: "numeric",
                placeholder: "no limit",
              })}
            </div>
            <details className="mt-3">
              <summary className="cursor-pointer text-[13px] text-zinc-700">Fault injection</summary>
              <div className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                {field("transientFailures", "Transient failures", "retried before success", { inputMode: "numeric", placeholder: "0" })}
                {field("failCode", "Fail with code", undefined, { spellCheck: false, autoComplete: "off" })}
                {field("failMessage", "Failure message", undefined, { autoComplete: "off" })}
                {field("failAfterRows", "Fail after rows", undefined, { inputMode: "numeric" })}
              </div>
            </details>
            {tables.length > 1 && (
              <Button variant="ghost" size="xs" className="mt-2" onClick={() => onChange(tables.filter((_, j) => j !== i))}>
                Remove table {t.name || i + 1}
              </Button>
            )}
          </fieldset>
        );
      })}
      <Button size="sm" onClick={() => onChange([...tables, newSampleTable(`table_${tables.length + 1}`)])}>
        Add a table
      </Button>
    </div>
  );
}
