import { Button } from "@/components/ui/button";
import { describeCron } from "@/lib/scheduler/next-run";
import { formatNumber, keyLabel } from "@/lib/ui/format";

type Body = {
  name?: string;
  source?: { type?: string; schema?: string; replication?: string; seed?: number; tables?: Record<string, unknown>[] };
  destination?: { schema?: string };
  schemaChanges?: string;
  schedule?: { cron: string; timezone: string };
};

function Row({
  label,
  children,
  step,
  onEdit,
}: {
  label: string;
  children: React.ReactNode;
  step: string;
  onEdit: (step: string) => void;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-2 border-b border-zinc-100 py-2 last:border-0">
      <div className="min-w-0">
        <dt className="text-xs text-zinc-600">{label}</dt>
        <dd className="mt-0.5 break-words text-[13px] text-zinc-900">{children}</dd>
      </div>
      <Button size="xs" variant="ghost" onClick={() => onEdit(step)} aria-label={`Change ${label.toLowerCase()}`}>
        Change
      </Button>
    </div>
  );
}

/** Everything the sync will be created with, in words; passwords are shown only as "set". */
export function ReviewStep({
  integrationName,
  body,
  sourceLabel,
  destinationLabel,
  onEdit,
}: {
  integrationName: string;
  body: Body;
  sourceLabel: string;
  destinationLabel: string;
  onEdit: (step: string) => void;
}) {
  const s = body.source ?? {};
  const tables = s.tables ?? [];
  return (
    <dl className="sm:max-w-2xl">
      <Row label="Integration" step="basics" onEdit={onEdit}>
        {integrationName}
      </Row>
      <Row label="Sync name" step="basics" onEdit={onEdit}>
        {body.name}
      </Row>
      <Row label="Source" step={s.type === "postgres" ? "connection" : "source"} onEdit={onEdit}>
        {s.type === "postgres" ? (
          <>
            PostgreSQL: {sourceLabel}, schema <code className="font-mono">{s.schema}</code>
            {s.replication ? ", logical replication" : ""}
            <span className="block text-xs text-zinc-600">Password: set (kept on the server, never shown again)</span>
          </>
        ) : (
          <>Sample data{s.seed !== undefined ? `, seed ${s.seed}` : ""}</>
        )}
      </Row>
      <Row label="Tables" step={s.type === "postgres" ? "tables" : "source"} onEdit={onEdit}>
        <ul className="space-y-0.5">
          {tables.map((t) => (
            <li key={String(t.name)}>
              <code className="font-mono">{String(t.name)}</code>
              <span className="text-zinc-600">
                {s.type === "postgres"
                  ? ` — key ${keyLabel(t.primaryKey as string | string[])}, ${t.cursorColumn ? `cursor ${t.cursorColumn}` : "copied in full each run"}`
                  : ` — ${formatNumber(Number(t.rows))} rows${t.changeRate ? `, change rate ${t.changeRate}` : ""}${t.badRecordRate ? `, bad record rate ${t.badRecordRate}` : ""}`}
              </span>
            </li>
          ))}
        </ul>
      </Row>
      <Row label="Destination" step="destination" onEdit={onEdit}>
        Schema <code className="font-mono">{body.destination?.schema}</code> in {destinationLabel}
        <span className="block text-xs text-zinc-600">
          Column changes: {body.schemaChanges === "fail" ? "stop the table and report them" : "follow the source"}
        </span>
      </Row>
      <Row label="Schedule" step="schedule" onEdit={onEdit}>
        {body.schedule
          ? `${scheduleInWords(body.schedule.cron)} (${body.schedule.timezone})`
          : "None — runs when started by hand or by the API"}
      </Row>
    </dl>
  );
}

/**
 * A cron in words, with how often a daily one repeats: cron's own words for `0 2 * * *` are just
 * "At 02:00", which on a summary reads like a single run.
 */
export function scheduleInWords(cron: string): string {
  const words = describeCron(cron);
  if (!words) return cron;
  return /^\d+\s+\d+\s+\*\s+\*\s+\*$/.test(cron.trim()) && words.startsWith("At ") ? `Every day at ${words.slice(3)}` : words;
}
