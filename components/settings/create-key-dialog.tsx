"use client";

import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, TextField } from "@/components/ui/form";
import { errorMessage } from "@/lib/ui/api-client";
import { useCreateApiKey } from "@/lib/ui/hooks/use-settings-data";

const SCOPES = [
  { value: "sync:read", help: "Read syncs, jobs and errors" },
  { value: "sync:write", help: "Run and cancel syncs" },
  { value: "admin", help: "Manage integrations, syncs, keys and users" },
];

/** Create a key; its token is shown once, in this dialog, with a copy button. */
export function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateApiKey();
  const [scopes, setScopes] = useState<string[]>(["sync:read"]);
  const [error, setError] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);

  const close = () => {
    setToken(null);
    setError(null);
    setScopes(["sync:read"]);
    create.reset();
    onClose();
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const limitText = String(form.get("rateLimitPerMinute") ?? "").trim();
    setError(null);
    // Empty means "the server default"; anything else the server validates (a whole number ≥ 1).
    const rateLimitPerMinute = limitText === "" ? undefined : Number(limitText);
    try {
      const key = await create.mutateAsync({ name, scopes, ...(rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute }) });
      setToken(key.token);
      toast.success(`API key "${key.name}" created`);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (token)
    return (
      <Dialog
        open={open}
        onClose={close}
        title="Copy your new API key"
        description="This is the only time the token is shown. Store it in your secret manager now."
      >
        <label htmlFor="new-token" className="sr-only">
          New API token
        </label>
        <div className="flex items-center gap-2">
          <input
            id="new-token"
            readOnly
            value={token}
            onFocus={(e) => e.currentTarget.select()}
            className="h-8 w-full rounded-md border border-zinc-300 bg-zinc-50 px-2 font-mono text-xs"
          />
          <CopyButton text={token} label="Copy" variant="secondary" size="sm" copiedMessage="Token copied" />
        </div>
        <DialogActions>
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    );

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create API key"
      description="Keys authenticate programmatic callers of the /v1 API with a bearer token."
    >
      <form onSubmit={onSubmit} className="space-y-4">
        <TextField id="key-name" name="name" label="Name" required maxLength={100} placeholder="e.g. airflow-prod" autoComplete="off" />
        <fieldset>
          <legend className="text-[13px] font-medium text-zinc-800">Scopes</legend>
          <div className="mt-1 space-y-1.5">
            {SCOPES.map((s) => (
              <label key={s.value} className="flex items-start gap-2 text-[13px]">
                <input
                  type="checkbox"
                  className="mt-0.5 size-3.5 accent-zinc-900"
                  checked={scopes.includes(s.value)}
                  onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s.value] : cur.filter((x) => x !== s.value)))}
                />
                <span>
                  <code className="font-mono text-xs">{s.value}</code> <span className="text-zinc-600">— {s.help}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <TextField
          id="key-rate-limit"
          name="rateLimitPerMinute"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          label="Rate limit (requests per minute)"
          placeholder="server default"
          hint="Leave empty for the server's default. Over the limit, calls get 429 with Retry-After."
        />
        <FormError message={error} />
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" pending={create.isPending} disabled={!scopes.length}>
            Create key
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
