"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, TextField } from "@/components/ui/form";
import { ApiClientError, errorMessage } from "@/lib/ui/api-client";
import { plural } from "@/lib/ui/format";
import { useDeleteIntegration, useUpdateIntegration } from "@/lib/ui/hooks/use-sync-config";
import { useCanWrite } from "@/lib/ui/session";
import type { IntegrationT } from "@/lib/ui/types";

const text = (e: unknown) =>
  e instanceof ApiClientError && e.code === "sync_job_active"
    ? "One of its syncs has a queued or running job. Wait for it to finish or cancel it, then try again."
    : errorMessage(e);

/** New sync, rename and delete for an integration's page header; nothing for support users. */
export function IntegrationSettings({ integration }: { integration: IntegrationT }) {
  const canWrite = useCanWrite();
  const router = useRouter();
  const rename = useUpdateIntegration(integration._id);
  const remove = useDeleteIntegration(integration._id);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(integration.name);
  const [renameError, setRenameError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  if (!canWrite) return null;

  const submitRename = () => {
    setRenameError(null);
    rename.mutate(
      { name: name.trim() },
      {
        onSuccess: (v) => {
          toast.success(`Renamed to ${v.name}`);
          setRenaming(false);
        },
        onError: (e) => setRenameError(text(e).replace(/^name: /, "")),
      },
    );
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Link
        prefetch={false}
        href={`/syncs/new?integration=${integration._id}`}
        className="inline-flex h-7 items-center rounded-md border border-zinc-900 bg-zinc-900 px-2.5 text-[13px] font-medium text-white hover:bg-zinc-700"
      >
        New sync
      </Link>
      <Button size="sm" onClick={() => (setName(integration.name), setRenameError(null), setRenaming(true))}>
        Rename
      </Button>
      <Button size="sm" variant="danger" onClick={() => setConfirmDelete(true)}>
        Delete
      </Button>
      <Dialog open={renaming} onClose={() => setRenaming(false)} title="Rename integration">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            submitRename();
          }}
          className="space-y-3"
        >
          <TextField
            id="integration-name"
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            aria-invalid={renameError ? true : undefined}
          />
          <FormError message={renameError} />
          <DialogActions>
            <Button onClick={() => setRenaming(false)}>Cancel</Button>
            <Button type="submit" variant="primary" pending={rename.isPending} disabled={!name.trim()}>
              Save name
            </Button>
          </DialogActions>
        </form>
      </Dialog>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${integration.name}?`}
        tone="danger"
        confirmLabel="Delete integration"
        pending={remove.isPending}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              toast.success(`Integration “${integration.name}” deleted`);
              router.push("/");
            },
            onError: (e) => {
              setConfirmDelete(false);
              toast.error(`Could not delete the integration: ${text(e)}`);
            },
          })
        }
        description={
          <div className="space-y-2">
            <p>
              This deletes the integration and its {plural(integration.numSyncs, "sync")}, with their job history, errors, checkpoints and
              schedules. It cannot be undone.
            </p>
            <p>Warehouse tables the syncs loaded are kept untouched.</p>
          </div>
        }
      />
    </div>
  );
}
