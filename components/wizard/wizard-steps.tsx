"use client";

import { SelectField, TextField } from "@/components/ui/form";
import { Segmented } from "@/components/ui/segmented";
import type { IntegrationT } from "@/lib/ui/types";
import type { FieldErrors } from "./wizard-state";

export type IntegrationChoice = { mode: "existing"; id: string } | { mode: "new"; name: string };

const FieldError = ({ id, message }: { id: string; message?: string }) =>
  message ? (
    <p id={id} className="mt-1 text-xs text-red-700">
      {message}
    </p>
  ) : null;

/** Which integration the sync belongs to (or a new one, created with it), and its name. */
export function BasicsStep({
  integrations,
  integration,
  onIntegration,
  name,
  onName,
  errors,
}: {
  integrations: IntegrationT[];
  integration: IntegrationChoice;
  onIntegration: (c: IntegrationChoice) => void;
  name: string;
  onName: (n: string) => void;
  errors: FieldErrors;
}) {
  const intError = errors["integration.name"] ?? errors._integrationId;
  return (
    <div className="grid gap-4 sm:max-w-lg">
      <div>
        <SelectField
          id="wizard-integration"
          label="Integration"
          value={integration.mode === "new" ? "__new" : integration.id}
          onChange={(e) => onIntegration(e.target.value === "__new" ? { mode: "new", name: "" } : { mode: "existing", id: e.target.value })}
        >
          {integrations.map((i) => (
            <option key={i._id} value={i._id}>
              {i.name}
            </option>
          ))}
          <option value="__new">New integration…</option>
        </SelectField>
        <p className="mt-1 text-xs text-zinc-600">An integration groups the syncs of one system or customer.</p>
      </div>
      {integration.mode === "new" && (
        <div>
          <TextField
            id="wizard-integration-name"
            label="New integration name"
            value={integration.name}
            onChange={(e) => onIntegration({ mode: "new", name: e.target.value })}
            aria-invalid={intError ? true : undefined}
            aria-describedby={intError ? "wizard-integration-error" : undefined}
            autoComplete="off"
          />
          <FieldError id="wizard-integration-error" message={intError} />
        </div>
      )}
      <div>
        <TextField
          id="wizard-name"
          label="Sync name"
          value={name}
          onChange={(e) => onName(e.target.value)}
          placeholder="Shop to warehouse"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? "wizard-name-error" : undefined}
          autoComplete="off"
        />
        <FieldError id="wizard-name-error" message={errors.name} />
      </div>
    </div>
  );
}

export type SourceType = "sample" | "postgres";

export function SourceTypeStep({ value, onChange }: { value: SourceType; onChange: (v: SourceType) => void }) {
  return (
    <fieldset className="grid gap-2 sm:max-w-2xl sm:grid-cols-2">
      <legend className="mb-2 text-[13px] font-medium text-zinc-800">Where the data comes from</legend>
      {(
        [
          [
            "postgres",
            "PostgreSQL database",
            "Copies tables from a Postgres you can reach from this server: in full, by a cursor column, or by logical replication.",
          ],
          [
            "sample",
            "Sample data",
            "Generated rows with optional changes, bad records and failures — for trying the console out and for demos.",
          ],
        ] as const
      ).map(([v, label, text]) => (
        <label
          key={v}
          className="flex cursor-pointer gap-2 rounded-md border border-zinc-300 p-3 has-[:checked]:border-zinc-900 has-[:checked]:ring-1 has-[:checked]:ring-zinc-900"
        >
          <input
            type="radio"
            name="wizard-source-type"
            className="mt-0.5 size-4 shrink-0"
            checked={value === v}
            onChange={() => onChange(v)}
          />
          <span>
            <span className="block text-[13px] font-medium text-zinc-900">{label}</span>
            <span className="block text-xs text-zinc-600">{text}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export type DestinationMode = "own" | "url";

export function DestinationModePicker({
  value,
  onChange,
  ownLabel = "The app's own database",
}: {
  value: DestinationMode;
  onChange: (v: DestinationMode) => void;
  ownLabel?: string;
}) {
  return (
    <Segmented<DestinationMode>
      label="Warehouse"
      value={value}
      onChange={onChange}
      options={[
        { value: "own", label: ownLabel },
        { value: "url", label: "Another Postgres" },
      ]}
    />
  );
}

export function PolicyField({
  value,
  onChange,
  name = "wizard-policy",
}: {
  value: "propagate" | "fail";
  onChange: (v: "propagate" | "fail") => void;
  name?: string;
}) {
  return (
    <fieldset>
      <legend className="text-[13px] font-medium text-zinc-800">When the source&rsquo;s columns change</legend>
      <div className="mt-1 space-y-1.5">
        {(
          [
            ["propagate", "Follow the source", "New columns are added and widened types applied; a dropped column is kept and left empty."],
            ["fail", "Stop and tell me", "Any change fails the table with SCHEMA_CHANGE and nothing in the warehouse is altered."],
          ] as const
        ).map(([v, label, text]) => (
          <label key={v} className="flex gap-2 text-[13px]">
            <input type="radio" name={name} className="mt-0.5 size-4 shrink-0" checked={value === v} onChange={() => onChange(v)} />
            <span>
              <span className="font-medium text-zinc-900">{label}</span> <span className="text-zinc-600">— {text}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
