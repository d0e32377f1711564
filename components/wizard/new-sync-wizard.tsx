"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { DEFAULT_PRESET } from "@/components/schedule/presets";
import { browserTimeZone } from "@/components/schedule/zone-format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError, SelectField, TextField } from "@/components/ui/form";
import { Spinner } from "@/components/ui/spinner";
import { ErrorState } from "@/components/ui/states";
import { validateCron, validateTimezone } from "@/lib/scheduler/next-run";
import { ApiClientError, errorMessage } from "@/lib/ui/api-client";
import { useIntegrations } from "@/lib/ui/hooks/use-integration-data";
import { isReservedSchema } from "@/lib/contracts/sync-config";
import { type ConnectionTestT, type DiscoveryT, useCreateSync, useDiscoverSource } from "@/lib/ui/hooks/use-sync-config";
import type { IntegrationT } from "@/lib/ui/types";
import { canConnect } from "./check-list";
import { ConnectionFields } from "./connection-fields";
import { ConnectionTester } from "./connection-tester";
import { ReviewStep } from "./review-step";
import { SampleTablesEditor } from "./sample-tables-editor";
import { type ScheduleChoice, ScheduleStep } from "./schedule-step";
import { StepProgress } from "./step-progress";
import { TablePicker } from "./table-picker";
import {
  type ConnDraft,
  connFilled,
  connUrl,
  emptyConn,
  type FieldErrors,
  hasKey,
  newSampleTable,
  type PickedTable,
  type SampleDraft,
  sampleTableBody,
  schemaNameFrom,
} from "./wizard-state";
import { BasicsStep, DestinationModePicker, type IntegrationChoice, PolicyField, type SourceType, SourceTypeStep } from "./wizard-steps";

type StepKey = "basics" | "source" | "connection" | "tables" | "destination" | "schedule" | "review";
const ALL_STEPS: { key: StepKey; label: string; postgresOnly?: boolean }[] = [
  { key: "basics", label: "Integration" },
  { key: "source", label: "Source" },
  { key: "connection", label: "Connection", postgresOnly: true },
  { key: "tables", label: "Tables", postgresOnly: true },
  { key: "destination", label: "Destination" },
  { key: "schedule", label: "Schedule" },
  { key: "review", label: "Review" },
];

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Something a step lacks: at `field` (an `errors` key) when it belongs to one, with the element to focus. */
type Problem = { message: string; field?: string; focus?: string };

/** Which step shows an API error about this field. */
function stepOfField(field: string, sourceType: SourceType): StepKey {
  if (field === "name" || field === "_integrationId" || field.startsWith("integration.")) return "basics";
  if (field === "source.url") return "connection";
  if (field.startsWith("source.tables")) return sourceType === "postgres" ? "tables" : "source";
  if (field.startsWith("source")) return sourceType === "postgres" ? "connection" : "source";
  if (field.startsWith("destination") || field === "schemaChanges") return "destination";
  if (field.startsWith("schedule")) return "schedule";
  return "review";
}

/**
 * New sync, step by step: integration → source → connection (tested) → tables (discovered) →
 * destination (tested when external) → schedule → review → create. Each step checks what it
 * can in the browser; the API's own validation has the last word and its messages land at the field.
 */
export function NewSyncWizard({ initialIntegrationId }: { initialIntegrationId?: string }) {
  const router = useRouter();
  const integrationsQ = useIntegrations();
  const integrations: IntegrationT[] = useMemo(
    () => [...(integrationsQ.data?.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    [integrationsQ.data],
  );

  const [integrationPicked, setIntegration] = useState<IntegrationChoice | null>(null);
  const [name, setName] = useState("");
  const [sourceType, setSourceType] = useState<SourceType>("postgres");
  const [sampleSeed, setSampleSeed] = useState("");
  const [sampleTables, setSampleTables] = useState<SampleDraft[]>([newSampleTable("customers", "1000")]);
  const [sourceConn, setSourceConn] = useState<ConnDraft>(emptyConn);
  const [replication, setReplication] = useState(false);
  const [sourceTest, setSourceTest] = useState<ConnectionTestT | null>(null);
  const [sourceSchema, setSourceSchema] = useState("public");
  // Until the user picks a schema (on the tables step), the connection test and discovery look for
  // the tables themselves: a database whose tables are not in public is no failed test.
  const [schemaChosen, setSchemaChosen] = useState(false);
  const [discovery, setDiscovery] = useState<DiscoveryT | null>(null);
  const [picked, setPicked] = useState<PickedTable[]>([]);
  const [destMode, setDestMode] = useState<"own" | "url">("own");
  const [destConn, setDestConn] = useState<ConnDraft>(emptyConn);
  const [destTest, setDestTest] = useState<ConnectionTestT | null>(null);
  const [destSchemaTyped, setDestSchema] = useState("");
  const [destSchemaTouched, setDestSchemaTouched] = useState(false);
  const [policy, setPolicy] = useState<"propagate" | "fail">("propagate");
  const [schedule, setSchedule] = useState<ScheduleChoice>(() => ({
    on: false,
    cron: "0 2 * * *",
    timezone: "UTC",
    preset: DEFAULT_PRESET,
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  // An error from the server (discovery, create); what the step itself lacks is `problems` below.
  const [stepError, setStepError] = useState<string | null>(null);
  // The step whose Next was refused: its problems are shown, and follow the fields as they change.
  const [refused, setRefused] = useState<StepKey | null>(null);
  const [stepIndex, setStepIndex] = useState(0);

  const discover = useDiscoverSource();
  const create = useCreateSync();

  // Until the user picks, the integration is the one from the link (or the first), once loaded.
  const integration: IntegrationChoice | null = useMemo(() => {
    if (integrationPicked || !integrationsQ.data) return integrationPicked;
    const wanted = integrations.find((i) => i._id === initialIntegrationId) ?? integrations[0];
    return wanted ? { mode: "existing", id: wanted._id } : { mode: "new", name: "" };
  }, [integrationPicked, integrationsQ.data, integrations, initialIntegrationId]);
  // The browser's zone is known only once hydrated (the server rendered "UTC").
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setSchedule((s) => ({ ...s, timezone: browserTimeZone() })), []);
  // The warehouse schema follows the sync's name until the user types one.
  const destSchema = destSchemaTouched ? destSchemaTyped : name.trim() ? schemaNameFrom(name) : "";

  const steps = ALL_STEPS.filter((s) => sourceType === "postgres" || !s.postgresOnly);
  const step = steps[Math.min(stepIndex, steps.length - 1)].key;
  const sourceUrl = connUrl(sourceConn);
  const selected = picked.filter((p) => p.selected);

  const clearError = (...fields: string[]) =>
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.some((f) => k === f || k.startsWith(`${f}.`)))));

  const runDiscovery = async (schema?: string) => {
    setStepError(null);
    clearError("source.tables");
    try {
      const asked = schema ?? (schemaChosen ? sourceSchema : undefined);
      const found = await discover.mutateAsync({ type: "postgres", url: sourceUrl, ...(asked ? { schema: asked } : {}) });
      if (schema) setSchemaChosen(true);
      setDiscovery(found);
      setSourceSchema(found.schema);
      // Keep what was picked for tables still there; new ones start unpicked with their suggestions.
      setPicked((prev) => prev.filter((p) => found.tables.some((t) => t.name === p.name)));
    } catch (e) {
      setDiscovery(null);
      setStepError(errorMessage(e));
    }
  };

  // Showing the tables step asks the source for its tables (a request to the server, once per visit).
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (step === "tables" && !discovery && !discover.isPending && !stepError) void runDiscovery();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [step]);

  /**
   * What stops this step from going on: every missing field of it at once, each with the field it
   * belongs to (shown there, as `errors[field]`, and focused by `focus`); the rest in words above the
   * buttons (the first, since each needs the one before). None when it can go on.
   */
  const problems = (key: StepKey): Problem[] => {
    if (key === "basics") {
      if (!integration) return [{ message: "Loading integrations…" }];
      const found: Problem[] = [];
      if (integration.mode === "new" && !integration.name.trim())
        found.push({ message: "Name the new integration.", field: "integration.name", focus: "wizard-integration-name" });
      if (!name.trim()) found.push({ message: "Give the sync a name.", field: "name", focus: "wizard-name" });
      return found;
    }
    if (key === "source" && sourceType === "sample") {
      const bad = sampleTables.flatMap((t, i) =>
        IDENT.test(t.name.trim())
          ? []
          : [
              {
                message: "Use lowercase letters, digits and _, starting with a letter or _.",
                field: `source.tables.${i}.name`,
                focus: `sample-${i}-name`,
              },
            ],
      );
      if (bad.length) return bad;
    }
    if (key === "destination" && (!IDENT.test(destSchema) || isReservedSchema(destSchema)))
      return [
        {
          message: !IDENT.test(destSchema)
            ? "The warehouse schema uses lowercase letters, digits and _ and starts with a letter or _."
            : `Schema ${destSchema} is reserved; choose another warehouse schema.`,
          field: "destination.schema",
          focus: "wizard-dest-schema",
        },
      ];
    if (key === "schedule" && schedule.on && !validateCron(schedule.cron).ok)
      // The cron field says what is wrong with it (aria-describedby); the alert names the field.
      return [{ message: "The cron expression is not valid.", focus: "wizard-cron" }];
    const why = blocker(key);
    return why ? [{ message: why }] : [];
  };

  /** What stops this step from going on that belongs to no one field, in words; null when nothing does. */
  const blocker = (key: StepKey): string | null => {
    switch (key) {
      case "source":
        if (sourceType === "sample" && !sampleTables.length) return "Add at least one table.";
        return null;
      case "connection":
        if (!connFilled(sourceConn)) return "Fill in the connection.";
        if (!sourceTest) return "Test the connection first.";
        if (!canConnect(sourceTest)) return "The connection test failed; fix the connection and test again.";
        return null;
      case "tables":
        if (!discovery) return "Discover the tables first.";
        if (!selected.length) return "Pick at least one table.";
        if (selected.some((p) => !hasKey(p))) return "Each picked table needs a key column.";
        return null;
      case "destination":
        if (destMode === "url") {
          if (!connFilled(destConn)) return "Fill in the warehouse connection.";
          if (!destTest) return "Test the warehouse connection first.";
          if (!canConnect(destTest)) return "The warehouse connection test failed; fix it and test again.";
        }
        return null;
      case "schedule":
        if (schedule.on && !validateTimezone(schedule.timezone).ok) return "Pick a valid time zone.";
        return null;
      default:
        return null;
    }
  };

  const body = (): Record<string, unknown> => {
    const seed = sampleSeed.trim() === "" ? undefined : Number(sampleSeed);
    const source =
      sourceType === "sample"
        ? { type: "sample", ...(seed !== undefined ? { seed } : {}), tables: sampleTables.map(sampleTableBody) }
        : {
            type: "postgres",
            url: sourceUrl,
            schema: sourceSchema,
            tables: selected.map((p) => ({
              name: p.name,
              primaryKey: p.primaryKey,
              ...(p.cursorColumn ? { cursorColumn: p.cursorColumn } : {}),
            })),
            ...(replication ? { replication: "logical" } : {}),
          };
    return {
      name: name.trim(),
      source,
      destination: { type: "postgres", schema: destSchema, ...(destMode === "url" ? { url: connUrl(destConn) } : {}) },
      schemaChanges: policy,
      ...(schedule.on ? { schedule: { cron: schedule.cron.trim(), timezone: schedule.timezone, enabled: true } } : {}),
    };
  };

  const goTo = (key: StepKey) =>
    setStepIndex(
      Math.max(
        0,
        steps.findIndex((s) => s.key === key),
      ),
    );
  const next = () => {
    const found = problems(step);
    setStepError(null);
    if (!found.length) {
      setRefused(null);
      setStepIndex((i) => Math.min(i + 1, steps.length - 1));
      return;
    }
    setRefused(step);
    // The first field to fix gets the focus; its message is read with it (aria-describedby).
    const first = found.find((p) => p.focus)?.focus;
    if (first) document.getElementById(first)?.focus();
  };
  const back = () => {
    setStepError(null);
    setRefused(null);
    setStepIndex((i) => Math.max(0, i - 1));
  };
  // Once Next was refused, the step's problems are the current ones: fixing a field clears its message.
  const shown = refused === step ? problems(step) : [];
  const fieldErrors: FieldErrors = { ...Object.fromEntries(shown.flatMap((p) => (p.field ? [[p.field, p.message]] : []))), ...errors };
  const alertMessage = stepError ?? (shown.filter((p) => !p.field)[0]?.message || null);

  const submit = async () => {
    if (!integration) return;
    setStepError(null);
    setRefused(null);
    setErrors({});
    try {
      const { sync } = await create.mutateAsync({
        integration: integration.mode === "new" ? { name: integration.name.trim() } : { id: integration.id },
        body: body(),
      });
      toast.success(`Sync “${sync.name}” created`);
      router.push(`/syncs/${sync._id}`);
    } catch (e) {
      const made = (e as { createdIntegration?: IntegrationT }).createdIntegration;
      if (made) setIntegration({ mode: "existing", id: made._id });
      const field = e instanceof ApiClientError ? (e.details.field as string | undefined) : undefined;
      // The integration's own POST failed: its `name` is the new integration's name, not the sync's.
      const key = field === "name" && integration.mode === "new" && !made ? "integration.name" : field;
      const message = errorMessage(e);
      if (key) {
        setErrors({ [key]: message.replace(/^[\w.]+: /, "") });
        goTo(stepOfField(key, sourceType));
      }
      // A message shown at its field is not repeated above the buttons.
      setStepError(
        e instanceof ApiClientError && e.code === "sync_job_active"
          ? "A job of this sync is running; wait for it or cancel it, then try again."
          : key
            ? null
            : message,
      );
      toast.error(`Could not create the sync: ${message}`);
    }
  };

  if (integrationsQ.error && !integrationsQ.data)
    return <ErrorState error={integrationsQ.error} onRetry={() => void integrationsQ.refetch()} title="Could not load integrations" />;

  const stepTitle: Record<StepKey, string> = {
    basics: "Integration and name",
    source: "Source",
    connection: "Connect to the source database",
    tables: "Pick the tables",
    destination: "Destination",
    schedule: "Schedule (optional)",
    review: "Review and create",
  };

  return (
    <div className="min-w-0">
      <StepProgress steps={steps} current={stepIndex} onGo={(i) => (setStepError(null), setRefused(null), setStepIndex(i))} />
      <Card title={<span id="wizard-step-title">{stepTitle[step]}</span>}>
        <form
          aria-labelledby="wizard-step-title"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (step === "review") void submit();
            else next();
          }}
          className="space-y-5"
        >
          {step === "basics" && (
            <BasicsStep
              integrations={integrations}
              integration={integration ?? { mode: "new", name: "" }}
              onIntegration={(c) => (setIntegration(c), clearError("integration", "_integrationId"))}
              name={name}
              onName={(n) => (setName(n), clearError("name"))}
              errors={fieldErrors}
            />
          )}

          {step === "source" && (
            <div className="space-y-5">
              <SourceTypeStep value={sourceType} onChange={(v) => (setSourceType(v), clearError("source"))} />
              {sourceType === "sample" && (
                <>
                  <TextField
                    id="wizard-seed"
                    label="Seed (optional)"
                    className="sm:max-w-xs"
                    inputMode="numeric"
                    value={sampleSeed}
                    onChange={(e) => setSampleSeed(e.target.value)}
                    hint="The same seed generates the same rows."
                  />
                  <SampleTablesEditor
                    tables={sampleTables}
                    onChange={(t) => (setSampleTables(t), clearError("source.tables"))}
                    errors={fieldErrors}
                  />
                </>
              )}
            </div>
          )}

          {step === "connection" && (
            <div className="space-y-4 sm:max-w-2xl">
              <ConnectionFields
                id="source"
                label="Source connection"
                value={sourceConn}
                onChange={(c) => (setSourceConn(c), setSourceTest(null), setDiscovery(null), setStepError(null), clearError("source.url"))}
                error={errors["source.url"]}
              />
              <label className="flex items-start gap-2 text-[13px] text-zinc-800">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4"
                  checked={replication}
                  onChange={(e) => (setReplication(e.target.checked), setSourceTest(null))}
                />
                <span>
                  Use logical replication (change data capture)
                  <span className="block text-xs text-zinc-600">
                    Moves inserts, updates and deletes since the last run. Needs wal_level = logical and a role with REPLICATION.
                  </span>
                </span>
              </label>
              <ConnectionTester
                input={
                  connFilled(sourceConn)
                    ? {
                        type: "postgres",
                        url: sourceUrl,
                        target: "source",
                        ...(schemaChosen ? { schema: sourceSchema } : {}),
                        ...(replication ? { replication: "logical" as const } : {}),
                      }
                    : null
                }
                result={sourceTest}
                onResult={(r) => (setSourceTest(r), setStepError(null))}
                onFieldError={(m) => setErrors((e) => (m ? { ...e, "source.url": m.replace(/^url: /, "") } : e))}
              />
              {sourceTest && canConnect(sourceTest) && !sourceTest.ok && (
                <p className="text-xs text-amber-800">
                  You can go on, but the sync will fail on what the failed checks say until that is fixed.
                </p>
              )}
            </div>
          )}

          {step === "tables" && (
            <div className="space-y-4">
              <div className="flex flex-wrap items-end gap-3">
                <SelectField
                  id="wizard-source-schema"
                  label="Schema"
                  className="w-56 max-w-full"
                  value={sourceSchema}
                  disabled={!discovery || discover.isPending}
                  onChange={(e) => void runDiscovery(e.target.value)}
                >
                  {(discovery?.schemas ?? [sourceSchema]).map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </SelectField>
                <Button onClick={() => void runDiscovery()} pending={discover.isPending}>
                  {discovery ? "Discover again" : "Discover tables"}
                </Button>
              </div>
              {discover.isPending && !discovery ? (
                <p role="status" className="flex items-center gap-2 text-[13px] text-zinc-600">
                  <Spinner /> Reading the source&rsquo;s tables…
                </p>
              ) : discovery && !discovery.tables.length ? (
                <p className="text-[13px] text-zinc-600">Schema {discovery.schema} has no tables. Pick another schema.</p>
              ) : discovery ? (
                <TablePicker
                  tables={discovery.tables}
                  picked={picked}
                  onChange={(p) => (setPicked(p), clearError("source.tables"))}
                  errors={errors}
                />
              ) : null}
              {errors["source.tables"] && <p className="text-xs text-red-700">{errors["source.tables"]}</p>}
            </div>
          )}

          {step === "destination" && (
            <div className="space-y-5 sm:max-w-2xl">
              <div className="space-y-2">
                <p className="text-[13px] font-medium text-zinc-800">Warehouse</p>
                <DestinationModePicker value={destMode} onChange={(m) => (setDestMode(m), clearError("destination.url"))} />
                <p className="text-xs text-zinc-600">
                  {destMode === "own"
                    ? "Tables land in a schema of the database this console runs on."
                    : "Tables land in a schema of another Postgres; it is tested the same way as the source."}
                </p>
              </div>
              {destMode === "url" && (
                <div className="space-y-3">
                  <ConnectionFields
                    id="destination"
                    label="Warehouse connection"
                    value={destConn}
                    onChange={(c) => (setDestConn(c), setDestTest(null), clearError("destination.url"))}
                    error={errors["destination.url"]}
                  />
                  <ConnectionTester
                    input={
                      connFilled(destConn) && IDENT.test(destSchema)
                        ? { type: "postgres", url: connUrl(destConn), target: "destination", schema: destSchema }
                        : null
                    }
                    result={destTest}
                    onResult={setDestTest}
                    onFieldError={(m) => setErrors((e) => (m ? { ...e, "destination.url": m.replace(/^url: /, "") } : e))}
                  />
                </div>
              )}
              <div>
                <TextField
                  id="wizard-dest-schema"
                  label="Warehouse schema"
                  className="sm:max-w-xs"
                  value={destSchema}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => (
                    setDestSchema(e.target.value),
                    setDestSchemaTouched(true),
                    setDestTest(null),
                    clearError("destination.schema")
                  )}
                  hint="Each source table lands in a table of the same name here."
                  aria-invalid={fieldErrors["destination.schema"] ? true : undefined}
                  aria-describedby={fieldErrors["destination.schema"] ? "wizard-dest-schema-error" : undefined}
                />
                {fieldErrors["destination.schema"] && (
                  <p id="wizard-dest-schema-error" className="mt-1 text-xs text-red-700">
                    {fieldErrors["destination.schema"]}
                  </p>
                )}
              </div>
              <PolicyField value={policy} onChange={setPolicy} />
            </div>
          )}

          {step === "schedule" && (
            <ScheduleStep
              value={schedule}
              onChange={setSchedule}
              errors={{ cron: errors["schedule.cron"], timezone: errors["schedule.timezone"] }}
            />
          )}

          {step === "review" && (
            <ReviewStep
              integrationName={
                integration?.mode === "new"
                  ? `${integration.name} (new)`
                  : (integrations.find((i) => integration?.mode === "existing" && i._id === integration.id)?.name ?? "—")
              }
              body={body()}
              sourceLabel={
                sourceType === "postgres"
                  ? sourceConn.mode === "fields"
                    ? `${sourceConn.user || "?"} @ ${sourceConn.host}:${sourceConn.port || 5432}/${sourceConn.database}`
                    : "connection URL (set)"
                  : "generated sample data"
              }
              destinationLabel={
                destMode === "own"
                  ? "the app's own database"
                  : destConn.mode === "fields"
                    ? `${destConn.host}:${destConn.port || 5432}/${destConn.database}`
                    : "another Postgres (URL set)"
              }
              onEdit={(key) => goTo(key as StepKey)}
            />
          )}

          <FormError message={alertMessage} />
          <div className="flex flex-wrap items-center justify-between gap-2 border-t border-zinc-100 pt-4">
            <Button onClick={back} disabled={stepIndex === 0 || create.isPending}>
              Back
            </Button>
            {step === "review" ? (
              <Button type="submit" variant="primary" pending={create.isPending}>
                Create sync
              </Button>
            ) : (
              <Button type="submit" variant="primary">
                Next
              </Button>
            )}
          </div>
        </form>
      </Card>
    </div>
  );
}
