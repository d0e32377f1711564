"use client";

import { useState } from "react";
import { toast } from "sonner";
import { canConnect } from "@/components/wizard/check-list";
import { ConnectionFields } from "@/components/wizard/connection-fields";
import { ConnectionTester } from "@/components/wizard/connection-tester";
import { SampleTablesEditor } from "@/components/wizard/sample-tables-editor";
import { pickFromDiscovery, TablePicker } from "@/components/wizard/table-picker";
import {
  type ConnDraft,
  connFilled,
  connUrl,
  emptyConn,
  type FieldErrors,
  type PickedTable,
  type SampleDraft,
  sampleDraftOf,
  sampleTableBody,
} from "@/components/wizard/wizard-state";
import { PolicyField } from "@/components/wizard/wizard-steps";
import { Button } from "@/components/ui/button";
import { keyLabel } from "@/lib/ui/format";
import { useRunSync } from "@/lib/ui/hooks/use-job-actions";
import { Card } from "@/components/ui/card";
import { FormError, TextField } from "@/components/ui/form";
import { Segmented } from "@/components/ui/segmented";
import { ApiClientError } from "@/lib/ui/api-client";
import { type ConnectionTestT, type DiscoveryT, useDiscoverSource, useUpdateSync } from "@/lib/ui/hooks/use-sync-config";
import type { SyncT } from "@/lib/ui/types";
import { configErrorText } from "./config-error-text";

type DestChoice = "own" | "keep" | "url";

/** Sorted-key JSON: two configs are the same whatever order their keys came in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

/**
 * Edits a sync in place. Stored credentials stay unless replaced: an empty connection keeps the
 * source's url, and the warehouse can be kept, replaced or switched back to the app's database.
 * Only what changed is sent, so renaming works even while a job runs.
 */
export function SyncEditForm({ sync, onDone }: { sync: SyncT; onDone: () => void }) {
  const update = useUpdateSync(sync);
  const run = useRunSync();
  const discover = useDiscoverSource();
  const src = sync.source;
  const [name, setName] = useState(sync.name);
  const [policy, setPolicy] = useState(sync.schemaChanges);
  // postgres source
  const [replaceConn, setReplaceConn] = useState(false);
  const [conn, setConn] = useState<ConnDraft>(emptyConn);
  const [connTest, setConnTest] = useState<ConnectionTestT | null>(null);
  const [schema, setSchema] = useState(src.type === "postgres" ? (src.schema ?? "public") : "public");
  const [replication, setReplication] = useState(src.type === "postgres" && src.replication === "logical");
  const [discovery, setDiscovery] = useState<DiscoveryT | null>(null);
  // Configured tables discovery did not find: saving drops them, so say so rather than let them vanish.
  const [notFound, setNotFound] = useState<string[]>([]);
  const [picked, setPicked] = useState<PickedTable[]>(
    src.type === "postgres"
      ? src.tables.map((t) => ({ name: t.name, selected: true, primaryKey: t.primaryKey, cursorColumn: t.cursorColumn ?? "" }))
      : [],
  );
  // sample source
  const [seed, setSeed] = useState(src.type === "sample" && src.seed !== undefined ? String(src.seed) : "");
  const [sampleTables, setSampleTables] = useState<SampleDraft[]>(src.type === "sample" ? src.tables.map(sampleDraftOf) : []);
  // destination
  const [dest, setDest] = useState<DestChoice>(sync.destination.hasCredentials ? "keep" : "own");
  const [destConn, setDestConn] = useState<ConnDraft>(emptyConn);
  const [destTest, setDestTest] = useState<ConnectionTestT | null>(null);
  const [destSchema, setDestSchema] = useState(sync.destination.schema);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const newUrl = replaceConn && connFilled(conn) ? connUrl(conn) : undefined;

  const runDiscovery = async (schemaName = schema) => {
    setFormError(null);
    try {
      const found = await discover.mutateAsync(
        newUrl ? { type: "postgres", url: newUrl, schema: schemaName } : { _syncId: sync._id, schema: schemaName },
      );
      setDiscovery(found);
      setSchema(found.schema);
      const configured = src.type === "postgres" ? src.tables.map((t) => t.name) : [];
      setNotFound(configured.filter((name) => !found.tables.some((t) => t.name === name)));
      setPicked((prev) => {
        const keep = prev.filter((p) => found.tables.some((t) => t.name === p.name));
        return [...keep, ...found.tables.filter((t) => !keep.some((p) => p.name === t.name)).map((t) => pickFromDiscovery(t))];
      });
    } catch (e) {
      setFormError(configErrorText(e));
    }
  };

  // Tables kept with another key: their warehouse table keeps the key it was built on, so a normal
  // run refuses them (PRIMARY_KEY_CHANGED) until a full resync rebuilds them on the new one.
  const keyChanges =
    src.type === "postgres"
      ? picked.flatMap((p) => {
          const before = src.tables.find((t) => t.name === p.name);
          return p.selected && p.primaryKey && before && keyLabel(before.primaryKey) !== keyLabel(p.primaryKey)
            ? [{ name: p.name, from: keyLabel(before.primaryKey), to: keyLabel(p.primaryKey) }]
            : [];
        })
      : [];

  const buildPatch = (): Record<string, unknown> => {
    const patch: Record<string, unknown> = {};
    if (name.trim() !== sync.name) patch.name = name.trim();
    if (policy !== sync.schemaChanges) patch.schemaChanges = policy;
    if (src.type === "postgres") {
      const next = {
        type: "postgres",
        schema,
        tables: picked
          .filter((p) => p.selected)
          .map((p) => ({ name: p.name, primaryKey: p.primaryKey, ...(p.cursorColumn ? { cursorColumn: p.cursorColumn } : {}) })),
        ...(replication ? { replication: "logical" } : {}),
      };
      const { hasCredentials: _set, ...current } = { ...src, schema: src.schema ?? "public" };
      if (newUrl || canonical(next) !== canonical(current)) patch.source = { ...next, ...(newUrl ? { url: newUrl } : {}) };
    } else {
      const n = seed.trim() === "" ? undefined : Number(seed);
      const next = { type: "sample", ...(n !== undefined ? { seed: n } : {}), tables: sampleTables.map(sampleTableBody) };
      if (canonical(next) !== canonical(src)) patch.source = next;
    }
    const destChanged = destSchema !== sync.destination.schema || dest === "url" || (dest === "own") !== !sync.destination.hasCredentials;
    if (destChanged) {
      patch.destination = {
        type: "postgres",
        schema: destSchema,
        ...(dest === "url" ? { url: connUrl(destConn) } : dest === "own" && sync.destination.hasCredentials ? { url: null } : {}),
      };
    }
    return patch;
  };

  const save = async () => {
    setErrors({});
    setFormError(null);
    if (replaceConn && !connFilled(conn)) return setFormError("Fill in the new connection, or keep the stored one.");
    if (replaceConn && !canConnect(connTest)) return setFormError("Test the new connection first.");
    if (dest === "url" && !canConnect(destTest)) return setFormError("Test the new warehouse connection first.");
    if (src.type === "postgres" && picked.some((p) => p.selected && !p.primaryKey))
      return setFormError("Each picked table needs a key column.");
    const patch = buildPatch();
    if (!Object.keys(patch).length) {
      toast.info("Nothing changed");
      return onDone();
    }
    try {
      const view = await update.mutateAsync(patch);
      const rekeyed = keyChanges.map((k) => k.name);
      if (rekeyed.length && patch.source)
        toast.success(`Saved ${view.name}`, {
          description: `Run a Full resync of ${rekeyed.join(", ")} to rebuild ${rekeyed.length === 1 ? "it" : "them"} on the new key; a normal run fails ${rekeyed.length === 1 ? "it" : "them"} with PRIMARY_KEY_CHANGED until then.`,
          duration: 30_000,
          action: {
            label: "Full resync",
            onClick: () =>
              run.mutate({
                syncId: sync._id,
                integrationId: sync._integrationId,
                runType: "resync",
                tables: rekeyed,
                syncName: view.name,
              }),
          },
        });
      else toast.success(`Saved ${view.name}`);
      onDone();
    } catch (e) {
      const field = e instanceof ApiClientError ? (e.details.field as string | undefined) : undefined;
      if (field) setErrors({ [field]: configErrorText(e).replace(/^[\w.]+: /, "") });
      setFormError(configErrorText(e));
    }
  };

  const errorAt = (field: string) =>
    errors[field] ? (
      <p id={`edit-${field.replace(/\W/g, "-")}-error`} className="mt-1 text-xs text-red-700">
        {errors[field]}
      </p>
    ) : null;

  return (
    <Card title="Edit configuration">
      <form
        aria-label="Edit sync"
        noValidate
        className="space-y-5"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="sm:max-w-md">
          <TextField
            id="edit-name"
            label="Sync name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            aria-invalid={errors.name ? true : undefined}
          />
          {errorAt("name")}
        </div>

        {src.type === "postgres" ? (
          <section className="space-y-3" aria-labelledby="edit-source-heading">
            <h3 id="edit-source-heading" className="text-[13px] font-semibold text-zinc-900">
              Source (PostgreSQL)
            </h3>
            <label className="flex items-center gap-2 text-[13px] text-zinc-800">
              <input
                type="checkbox"
                className="size-4"
                checked={replaceConn}
                onChange={(e) => (setReplaceConn(e.target.checked), setConnTest(null), setDiscovery(null))}
              />
              Replace the stored connection (credentials are set; leave this off to keep them)
            </label>
            {replaceConn ? (
              <div className="space-y-3 sm:max-w-2xl">
                <ConnectionFields
                  id="edit-source"
                  label="New source connection"
                  value={conn}
                  onChange={(c) => (setConn(c), setConnTest(null))}
                  error={errors["source.url"]}
                />
                <ConnectionTester
                  input={
                    connFilled(conn)
                      ? {
                          type: "postgres",
                          url: connUrl(conn),
                          target: "source",
                          schema,
                          ...(replication ? { replication: "logical" as const } : {}),
                        }
                      : null
                  }
                  result={connTest}
                  onResult={setConnTest}
                  onFieldError={(m) => setErrors((e) => (m ? { ...e, "source.url": m.replace(/^url: /, "") } : e))}
                />
              </div>
            ) : (
              <ConnectionTester
                input={{ _syncId: sync._id, target: "source", schema, ...(replication ? { replication: "logical" as const } : {}) }}
                result={connTest}
                onResult={setConnTest}
                onFieldError={(m) => setFormError(m)}
              />
            )}
            <label className="flex items-center gap-2 text-[13px] text-zinc-800">
              <input type="checkbox" className="size-4" checked={replication} onChange={(e) => setReplication(e.target.checked)} />
              Use logical replication (change data capture)
            </label>
            <div className="flex flex-wrap items-end gap-3">
              <TextField
                id="edit-source-schema"
                label="Source schema"
                className="w-56 max-w-full"
                value={schema}
                onChange={(e) => setSchema(e.target.value)}
                spellCheck={false}
                autoComplete="off"
              />
              <Button onClick={() => void runDiscovery()} pending={discover.isPending} disabled={replaceConn && !connFilled(conn)}>
                {discovery ? "Discover again" : "Change tables"}
              </Button>
            </div>
            {errorAt("source.schema")}
            {discovery ? (
              <>
                {notFound.length > 0 && (
                  <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-[13px] text-amber-900">
                    Not found in schema <code className="font-mono">{discovery.schema}</code>:{" "}
                    {notFound.map((n, i) => (
                      <span key={n}>
                        {i > 0 && ", "}
                        <code className="font-mono">{n}</code>
                      </span>
                    ))}
                    . Saving removes {notFound.length === 1 ? "it" : "them"} from the sync; if{" "}
                    {notFound.length === 1 ? "it was" : "they were"} renamed or moved, check the schema first.
                  </p>
                )}
                <TablePicker tables={discovery.tables} picked={picked} onChange={setPicked} errors={errors} />
                {keyChanges.length > 0 && (
                  <p
                    role="status"
                    className="rounded-md border border-amber-300 bg-amber-50 p-2 text-[13px] text-amber-900"
                    data-testid="key-change-warning"
                  >
                    {keyChanges.map((k, i) => (
                      <span key={k.name}>
                        {i > 0 && "; "}
                        The key of <code className="font-mono">{k.name}</code> changes from <code className="font-mono">{k.from}</code> to{" "}
                        <code className="font-mono">{k.to}</code>
                      </span>
                    ))}
                    . The warehouse {keyChanges.length === 1 ? "table keeps" : "tables keep"} the old key: after saving, run a Full resync
                    of {keyChanges.length === 1 ? "this table" : "these tables"}, or the next run fails{" "}
                    {keyChanges.length === 1 ? "it" : "them"} with PRIMARY_KEY_CHANGED.
                  </p>
                )}
              </>
            ) : (
              <ul className="text-[13px] text-zinc-700" aria-label="Tables to sync">
                {picked
                  .filter((p) => p.selected)
                  .map((p) => (
                    <li key={p.name}>
                      <code className="font-mono">{p.name}</code> — key {keyLabel(p.primaryKey)},{" "}
                      {p.cursorColumn ? `cursor ${p.cursorColumn}` : "copied in full each run"}
                    </li>
                  ))}
              </ul>
            )}
            {errorAt("source.tables")}
          </section>
        ) : (
          <section className="space-y-3" aria-labelledby="edit-source-heading">
            <h3 id="edit-source-heading" className="text-[13px] font-semibold text-zinc-900">
              Source (sample data)
            </h3>
            <TextField
              id="edit-seed"
              label="Seed"
              className="sm:max-w-xs"
              inputMode="numeric"
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
            />
            <SampleTablesEditor tables={sampleTables} onChange={setSampleTables} errors={errors} />
          </section>
        )}

        <section className="space-y-3 sm:max-w-2xl" aria-labelledby="edit-dest-heading">
          <h3 id="edit-dest-heading" className="text-[13px] font-semibold text-zinc-900">
            Destination
          </h3>
          <Segmented<DestChoice>
            label="Warehouse"
            value={dest}
            onChange={(d) => (setDest(d), setDestTest(null))}
            options={[
              { value: "own", label: "The app's own database" },
              ...(sync.destination.hasCredentials ? [{ value: "keep" as const, label: "Keep the external warehouse" }] : []),
              { value: "url", label: sync.destination.hasCredentials ? "Another external Postgres" : "An external Postgres" },
            ]}
          />
          {dest === "url" && (
            <>
              <ConnectionFields
                id="edit-destination"
                label="Warehouse connection"
                value={destConn}
                onChange={(c) => (setDestConn(c), setDestTest(null))}
                error={errors["destination.url"]}
              />
              <ConnectionTester
                input={
                  connFilled(destConn) ? { type: "postgres", url: connUrl(destConn), target: "destination", schema: destSchema } : null
                }
                result={destTest}
                onResult={setDestTest}
                onFieldError={(m) => setErrors((e) => (m ? { ...e, "destination.url": m.replace(/^url: /, "") } : e))}
              />
            </>
          )}
          <div className="sm:max-w-xs">
            <TextField
              id="edit-dest-schema"
              label="Warehouse schema"
              value={destSchema}
              onChange={(e) => setDestSchema(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={errors["destination.schema"] ? true : undefined}
              hint="Changing the schema or warehouse makes the next run load every table in full."
            />
            {errorAt("destination.schema")}
          </div>
          <PolicyField value={policy} onChange={setPolicy} name="edit-policy" />
        </section>

        <FormError message={formError} />
        <div className="flex flex-wrap gap-2 border-t border-zinc-100 pt-4">
          <Button type="submit" variant="primary" pending={update.isPending}>
            Save changes
          </Button>
          <Button onClick={onDone} disabled={update.isPending}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}
