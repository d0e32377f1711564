"use client";

import { cn } from "@/components/ui/cn";
import { formatNumber, keyLabel, plural } from "@/lib/ui/format";
import type { DiscoveredTableT } from "@/lib/ui/hooks/use-sync-config";
import { type FieldErrors, hasKey, type PickedTable } from "./wizard-state";

/** The key select's choice that opens the column checkboxes: rows told apart by several columns together. */
const SEVERAL = "__several__";
/** As many key columns as a sync takes. */
const MAX_KEY_COLUMNS = 8;

const select =
  "mt-1 block h-8 w-full rounded-md border border-zinc-300 bg-white px-2 text-[13px] focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600";

/** A picked table as discovery suggests it: its key, and the suggested cursor column. */
export const pickFromDiscovery = (t: DiscoveredTableT, selected = false): PickedTable => ({
  name: t.name,
  selected,
  primaryKey: t.primaryKey ?? "",
  cursorColumn: t.suggestedCursorColumn ?? "",
});

/**
 * The discovered tables as cards that fit a phone: pick a table, its key column and its cursor
 * column (none = copied in full every run). Tables that cannot be synced say why.
 */
export function TablePicker({
  tables,
  picked,
  onChange,
  errors,
}: {
  tables: DiscoveredTableT[];
  picked: PickedTable[];
  onChange: (next: PickedTable[]) => void;
  errors?: FieldErrors;
}) {
  const byName = new Map(picked.map((p) => [p.name, p]));
  const update = (name: string, patch: Partial<PickedTable>) => {
    const t = tables.find((x) => x.name === name)!;
    const current = byName.get(name) ?? pickFromDiscovery(t);
    const next = { ...current, ...patch };
    onChange(byName.has(name) ? picked.map((p) => (p.name === name ? next : p)) : [...picked, next]);
  };
  const selectedNames = picked.filter((p) => p.selected).map((p) => p.name);
  const usable = tables.filter((t) => !t.unsupportedReason);
  const allOn = usable.length > 0 && usable.every((t) => byName.get(t.name)?.selected);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-[13px] text-zinc-700">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            className="size-4"
            checked={allOn}
            onChange={(e) => onChange(usable.map((t) => ({ ...(byName.get(t.name) ?? pickFromDiscovery(t)), selected: e.target.checked })))}
          />
          Select all {plural(usable.length, "table")}
        </label>
        <span aria-live="polite">{selectedNames.length} selected</span>
      </div>
      <ul className="space-y-2" aria-label="Tables">
        {tables.map((t) => {
          const p = byName.get(t.name) ?? pickFromDiscovery(t);
          const idx = selectedNames.indexOf(t.name);
          const pkError =
            idx >= 0
              ? (errors?.[`source.tables.${idx}.primaryKey`] ??
                (p.selected && !hasKey(p)
                  ? Array.isArray(p.primaryKey)
                    ? "Tick the columns that together identify a row"
                    : "Pick the column that identifies a row"
                  : undefined))
              : undefined;
          const cursorError = idx >= 0 ? errors?.[`source.tables.${idx}.cursorColumn`] : undefined;
          const id = `table-${t.name}`;
          // A primary key of several columns is offered whole (a sync takes up to 8).
          const composite = t.primaryKeyColumns.length > 1 && t.primaryKeyColumns.length <= MAX_KEY_COLUMNS ? t.primaryKeyColumns : null;
          const compositeValue = composite && JSON.stringify(composite);
          // Columns ticked by hand: a table without a primary key whose rows only several columns tell apart.
          const several = Array.isArray(p.primaryKey) && JSON.stringify(p.primaryKey) !== compositeValue ? p.primaryKey : null;
          const keyValue = several ? SEVERAL : typeof p.primaryKey === "string" ? p.primaryKey : JSON.stringify(p.primaryKey);
          const toggleKeyColumn = (column: string, on: boolean) => {
            const chosen = new Set(several ?? []);
            if (on) chosen.add(column);
            else chosen.delete(column);
            update(t.name, { primaryKey: t.columns.map((c) => c.name).filter((n) => chosen.has(n)) });
          };
          return (
            <li
              key={t.name}
              data-table={t.name}
              className={cn("rounded-md border p-3", p.selected ? "border-zinc-400 bg-white" : "border-zinc-200 bg-zinc-50")}
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <label className="flex min-w-0 items-center gap-2 text-[13px] font-medium text-zinc-900">
                  <input
                    type="checkbox"
                    className="size-4 shrink-0"
                    checked={p.selected}
                    disabled={!!t.unsupportedReason}
                    onChange={(e) => update(t.name, { selected: e.target.checked })}
                    aria-label={`Sync table ${t.name}`}
                  />
                  <span className="break-all font-mono">{t.name}</span>
                </label>
                <span className="text-xs text-zinc-600">
                  {t.kind !== "table" ? `${t.kind} · ` : ""}
                  {t.estimatedRows === null ? "rows unknown" : `~${formatNumber(t.estimatedRows)} rows`} · {t.columns.length} columns
                </span>
              </div>
              {t.unsupportedReason && <p className="mt-1 text-xs text-amber-800">{t.unsupportedReason}</p>}
              {p.selected && (
                <div className="mt-2 grid gap-3 sm:grid-cols-2">
                  <div>
                    <label htmlFor={`${id}-pk`} className="text-xs font-medium text-zinc-800">
                      Key column of {t.name}
                    </label>
                    <select
                      id={`${id}-pk`}
                      className={cn(select, pkError && "border-red-400")}
                      value={keyValue}
                      onChange={(e) =>
                        update(t.name, {
                          primaryKey:
                            e.target.value === SEVERAL ? [] : composite && e.target.value === compositeValue ? composite : e.target.value,
                        })
                      }
                      aria-invalid={pkError ? true : undefined}
                      aria-describedby={pkError ? `${id}-pk-error` : undefined}
                    >
                      <option value="">Choose…</option>
                      {composite && <option value={compositeValue!}>{keyLabel(composite)} — primary key</option>}
                      {t.columns.map((c) => (
                        <option key={c.name} value={c.name}>
                          {c.name} ({c.type})
                          {t.primaryKeyColumns.includes(c.name) ? (composite ? " — part of the primary key" : " — primary key") : ""}
                        </option>
                      ))}
                      {t.columns.length > 1 && <option value={SEVERAL}>Several columns together…</option>}
                    </select>
                    {several && (
                      <fieldset className="mt-2 rounded-md border border-zinc-200 p-2">
                        <legend className="px-1 text-xs text-zinc-700">
                          Key columns of {t.name} ({several.length} of at most {MAX_KEY_COLUMNS})
                        </legend>
                        <div className="grid gap-1 sm:grid-cols-2">
                          {t.columns.map((c) => (
                            <label key={c.name} className="flex min-w-0 items-center gap-2 text-xs text-zinc-800">
                              <input
                                type="checkbox"
                                className="size-4 shrink-0"
                                checked={several.includes(c.name)}
                                disabled={!several.includes(c.name) && several.length >= MAX_KEY_COLUMNS}
                                onChange={(e) => toggleKeyColumn(c.name, e.target.checked)}
                                aria-label={`Key column ${c.name} of ${t.name}`}
                              />
                              <span className="break-all font-mono">{c.name}</span>
                              {c.nullable && <span className="text-zinc-500">(may be null)</span>}
                            </label>
                          ))}
                        </div>
                      </fieldset>
                    )}
                    {pkError ? (
                      <p id={`${id}-pk-error`} className="mt-1 text-xs text-red-700">
                        {pkError}
                      </p>
                    ) : (
                      (composite || several) && (
                        <p className="mt-1 text-xs text-zinc-600">
                          {several
                            ? "Rows are told apart by all ticked columns together; none of them may be null."
                            : "The primary key has several columns; rows are told apart by all of them together."}
                        </p>
                      )
                    )}
                  </div>
                  <div>
                    <label htmlFor={`${id}-cursor`} className="text-xs font-medium text-zinc-800">
                      Cursor column of {t.name}
                    </label>
                    <select
                      id={`${id}-cursor`}
                      className={select}
                      value={p.cursorColumn}
                      onChange={(e) => update(t.name, { cursorColumn: e.target.value })}
                    >
                      <option value="">None: copy the whole table each run</option>
                      {t.columns.map((c) => (
                        <option key={c.name} value={c.name}>
                          {c.name} ({c.type}){c.name === t.suggestedCursorColumn ? " — suggested" : ""}
                        </option>
                      ))}
                    </select>
                    {cursorError && <p className="mt-1 text-xs text-red-700">{cursorError}</p>}
                  </div>
                  <details className="sm:col-span-2">
                    <summary className="cursor-pointer text-xs text-zinc-700">Columns of {t.name}</summary>
                    <ul className="mt-1 grid gap-x-4 text-xs text-zinc-700 sm:grid-cols-2">
                      {t.columns.map((c) => (
                        <li key={c.name} className="break-all">
                          <span className="font-mono">{c.name}</span>{" "}
                          <span className="text-zinc-500">
                            {c.type}
                            {c.nullable ? "" : ", not null"}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </details>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
