"use client";

import { Segmented } from "@/components/ui/segmented";
import { SecretField, TextField } from "@/components/ui/form";
import { type ConnDraft, switchConnMode } from "./wizard-state";

/**
 * A Postgres connection typed as separate fields or pasted as one url; the password, and a url that
 * may carry one, stay hidden until asked for. What is typed here goes to the server and is never sent back.
 */
export function ConnectionFields({
  id,
  value,
  onChange,
  error,
  label,
}: {
  id: string;
  value: ConnDraft;
  onChange: (next: ConnDraft) => void;
  error?: string;
  label: string;
}) {
  const set = (patch: Partial<ConnDraft>) => onChange({ ...value, ...patch });
  const errorId = `${id}-error`;
  const invalid = error ? { "aria-invalid": true as const, "aria-describedby": errorId } : {};
  return (
    <fieldset className="space-y-3">
      <legend className="sr-only">{label}</legend>
      <Segmented<ConnDraft["mode"]>
        label={`${label}: how to enter it`}
        value={value.mode}
        onChange={(mode) => onChange(switchConnMode(value, mode))}
        options={[
          { value: "fields", label: "Host and user" },
          { value: "url", label: "Connection URL" },
        ]}
      />
      {value.mode === "url" ? (
        <SecretField
          id={`${id}-url`}
          label="Connection URL"
          value={value.url}
          onChange={(e) => set({ url: e.target.value })}
          placeholder="postgres://user:password@host:5432/database"
          autoComplete="off"
          spellCheck={false}
          hint="Sent to the server once; it is stored and never shown again."
          {...invalid}
        />
      ) : (
        <div className="grid gap-3 sm:grid-cols-6">
          <TextField
            id={`${id}-host`}
            label="Host"
            className="sm:col-span-4"
            value={value.host}
            onChange={(e) => set({ host: e.target.value })}
            autoComplete="off"
            spellCheck={false}
            placeholder="db.example.com"
            {...invalid}
          />
          <TextField
            id={`${id}-port`}
            label="Port"
            className="sm:col-span-2"
            inputMode="numeric"
            value={value.port}
            onChange={(e) => set({ port: e.target.value })}
            autoComplete="off"
          />
          <TextField
            id={`${id}-database`}
            label="Database"
            className="sm:col-span-2"
            value={value.database}
            onChange={(e) => set({ database: e.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            id={`${id}-user`}
            label="User"
            className="sm:col-span-2"
            value={value.user}
            onChange={(e) => set({ user: e.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
          <SecretField
            id={`${id}-password`}
            label="Password"
            className="sm:col-span-2"
            value={value.password}
            onChange={(e) => set({ password: e.target.value })}
            autoComplete="new-password"
          />
          <label className="flex items-center gap-2 text-[13px] text-zinc-800 sm:col-span-6">
            <input type="checkbox" checked={value.ssl} onChange={(e) => set({ ssl: e.target.checked })} className="size-4" />
            Require an encrypted connection (sslmode=require)
          </label>
        </div>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
