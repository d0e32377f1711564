"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, Field } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Pill } from "@/components/ui/status-badge";
import { ApiClientError } from "@/lib/ui/api-client";
import { formatNumber, keyLabel } from "@/lib/ui/format";
import { useDeleteSync, useUpdateSync } from "@/lib/ui/hooks/use-sync-config";
import type { SyncT } from "@/lib/ui/types";
import { configErrorText } from "./config-error-text";
import { SyncEditForm } from "./sync-edit-form";

/**
 * A sync's configuration as stored (credentials only as "set"), and for admins: edit, disable or
 * enable, delete. Support users see the configuration and no controls.
 */
export function SyncSettings({ sync, canWrite }: { sync: SyncT; canWrite: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const update = useUpdateSync(sync);
  const remove = useDeleteSync(sync);
  const s = sync.source;

  const toggle = () =>
    update.mutate(
      { disabled: !sync.disabled },
      {
        onSuccess: (v) =>
          toast.success(v.disabled ? `${v.name} is disabled: it will not run until it is enabled again` : `${v.name} is enabled`),
        onError: (e) => toast.error(`Could not ${sync.disabled ? "enable" : "disable"} the sync: ${configErrorText(e)}`),
      },
    );
  const [cleanupError, setCleanupError] = useState<string | null>(null);
  const doDelete = (force = false) =>
    remove.mutate(
      { force },
      {
        onSuccess: () => {
          toast.success(`Sync “${sync.name}” deleted`);
          router.push(`/integrations/${sync._integrationId}`);
        },
        onError: (e) => {
          // The source would not let us drop the slot: say so in the dialog and offer to delete anyway.
          if (e instanceof ApiClientError && e.code === "replication_cleanup_failed") return setCleanupError(e.message);
          setConfirmDelete(false);
          toast.error(`Could not delete the sync: ${configErrorText(e)}`);
        },
      },
    );

  if (editing) return <SyncEditForm sync={sync} onDone={() => setEditing(false)} />;

  return (
    <Card
      title="Configuration"
      actions={
        canWrite && (
          <>
            <Button size="xs" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button size="xs" onClick={toggle} pending={update.isPending}>
              {sync.disabled ? "Enable" : "Disable"}
            </Button>
            <Button size="xs" variant="danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          </>
        )
      }
    >
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Source">
          {s.type === "postgres" ? "PostgreSQL" : `Sample data${s.seed !== undefined ? ` (seed ${s.seed})` : ""}`}
        </Field>
        {s.type === "postgres" && (
          <>
            <Field label="Source credentials">
              <Pill>set</Pill> <span className="text-xs text-zinc-600">never shown</span>
            </Field>
            <Field label="Source schema">
              <code className="font-mono">{s.schema ?? "public"}</code>
            </Field>
            <Field label="Change capture">
              {s.replication === "logical" ? (
                <span title={`Publication and slot sync_console_${sync._id}`}>
                  Logical replication (<code className="font-mono">sync_console_{sync._id}</code>)
                </span>
              ) : (
                "None: cursor columns or full copies"
              )}
            </Field>
          </>
        )}
        <Field label="Warehouse">
          {sync.destination.hasCredentials ? (
            <>
              External Postgres <Pill>credentials set</Pill>
            </>
          ) : (
            "The app's own database"
          )}
        </Field>
        <Field label="Warehouse schema">
          <code className="font-mono">{sync.destination.schema}</code>
        </Field>
        <Field label="Column changes">{sync.schemaChanges === "fail" ? "Stop the table and report" : "Follow the source"}</Field>
        <Field label="State">{sync.disabled ? <Pill tone="amber">Disabled</Pill> : "Enabled"}</Field>
      </dl>
      <h3 className="mt-4 text-xs font-medium text-zinc-600">Tables</h3>
      <ul className="mt-1 divide-y divide-zinc-100 text-[13px]" aria-label="Configured tables">
        {s.type === "postgres"
          ? s.tables.map((t) => (
              <li key={t.name} className="flex flex-wrap gap-x-3 py-1">
                <code className="font-mono text-zinc-900">{t.name}</code>
                <span className="text-zinc-600">key {keyLabel(t.primaryKey)}</span>
                <span className="text-zinc-600">{t.cursorColumn ? `cursor ${t.cursorColumn}` : "copied in full each run"}</span>
              </li>
            ))
          : s.tables.map((t) => (
              <li key={t.name} className="flex flex-wrap gap-x-3 py-1">
                <code className="font-mono text-zinc-900">{t.name}</code>
                <span className="text-zinc-600">{formatNumber(t.rows)} rows</span>
                {t.changeRate !== undefined && <span className="text-zinc-600">change rate {t.changeRate}</span>}
                {t.badRecordRate !== undefined && <span className="text-zinc-600">bad record rate {t.badRecordRate}</span>}
                {t.rowsPerSecond !== undefined && <span className="text-zinc-600">{formatNumber(t.rowsPerSecond)} rows/s</span>}
                {t.transientFailures !== undefined && <span className="text-zinc-600">{t.transientFailures} transient failures</span>}
                {t.failWith && <span className="text-red-700">fails with {t.failWith.code}</span>}
              </li>
            ))}
      </ul>
      {canWrite && (
        <p className="mt-3 text-xs">
          <Link prefetch={false} href={`/audit?targetId=${sync._id}`} className="text-blue-700 hover:underline">
            Who changed or ran this sync: the audit log
          </Link>
        </p>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${sync.name}?`}
        tone="danger"
        confirmLabel={cleanupError ? "Delete anyway" : "Delete sync"}
        pending={remove.isPending}
        onConfirm={() => doDelete(!!cleanupError)}
        onClose={() => (setConfirmDelete(false), setCleanupError(null))}
        description={
          <div className="space-y-2">
            <p>This removes the sync with its job history, errors, checkpoints and schedule. It cannot be undone.</p>
            <p>
              The warehouse tables in schema <code className="font-mono">{sync.destination.schema}</code> are kept untouched.
            </p>
            {s.type === "postgres" && s.replication === "logical" && (
              <p>
                On the source, the replication slot and publication <code className="font-mono">sync_console_{sync._id}</code> are dropped.
              </p>
            )}
            {cleanupError && (
              <p role="alert" className="break-words rounded-md bg-red-50 px-3 py-2 text-red-800">
                {cleanupError}
              </p>
            )}
          </div>
        }
      />
    </Card>
  );
}
