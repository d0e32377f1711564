"use client";

import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { formatCompact, formatDateTime, formatDuration, secondsBetween } from "@/lib/ui/format";
import { useSyncTrend } from "@/lib/ui/hooks/use-sync-data";
import { useWidth } from "@/lib/ui/hooks/use-width";
import { useNow } from "@/lib/ui/now";
import { useRouter } from "next/navigation";
import type { SyncJobT } from "@/lib/ui/types";

// The chart is drawn at its rendered width (no stretching: text and dots keep their shape on a
// phone); this width is what the server renders before the browser measures.
const DEFAULT_WIDTH = 640;
const H = 150;
const PAD = { l: 44, r: 48, t: 10, b: 18 };
const barFill: Record<string, string> = {
  completed: "#10b981",
  failed: "#ef4444",
  canceled: "#a1a1aa",
  canceling: "#f59e0b",
  running: "#3b82f6",
  queued: "#d4d4d8",
};

/** Duration (bars, colored by outcome) and records loaded (line) of the last runs, oldest on the left. */
export function TrendChart({ syncId }: { syncId: string }) {
  const trend = useSyncTrend(syncId);
  const router = useRouter();
  const jobs = [...(trend.data?.data ?? [])].reverse();
  return (
    <Card title="Recent runs" actions={<Legend />}>
      {trend.error ? (
        <ErrorState error={trend.error} onRetry={() => void trend.refetch()} title="Could not load the trend" />
      ) : !trend.data ? (
        <Skeleton className="h-[150px] w-full" />
      ) : jobs.length < 2 ? (
        <p className="flex h-[150px] items-center justify-center text-sm text-zinc-600">
          {jobs.length ? "The trend appears after the second run." : "No runs yet."}
        </p>
      ) : (
        <Chart jobs={jobs} onOpen={(id) => router.push(`/jobs/${id}`)} />
      )}
    </Card>
  );
}

function Chart({ jobs, onOpen }: { jobs: SyncJobT[]; onOpen: (id: string) => void }) {
  const [box, W] = useWidth<HTMLDivElement>(DEFAULT_WIDTH);
  // Running jobs' bars grow with the clock; finished ones don't need it ticking.
  const now = useNow(jobs.some((j) => !j.endedAt));
  const durations = jobs.map((j) => j.durationSeconds ?? secondsBetween(j.startedAt, j.endedAt, now) ?? 0);
  const records = jobs.map((j) => j.numLoadedRecords);
  const maxD = Math.max(1, ...durations);
  const maxR = Math.max(1, ...records);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const step = iw / jobs.length;
  const bw = Math.max(2, Math.min(18, step * 0.6));
  const x = (i: number) => PAD.l + step * i + step / 2;
  const yD = (d: number) => PAD.t + ih - (d / maxD) * ih;
  const yR = (r: number) => PAD.t + ih - (r / maxR) * ih;
  const line = records.map((r, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${yR(r).toFixed(1)}`).join(" ");
  const last = jobs.length - 1;
  const summary = `Last ${jobs.length} runs: durations from ${formatDuration(Math.min(...durations))} to ${formatDuration(maxD)}; latest loaded ${records[last]} records.`;
  return (
    <div ref={box}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} className="block h-[150px] w-full" role="img" aria-label={summary}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.l} x2={W - PAD.r} y1={PAD.t + ih * (1 - f)} y2={PAD.t + ih * (1 - f)} stroke="#e4e4e7" strokeWidth="1" />
            <text x={PAD.l - 6} y={PAD.t + ih * (1 - f) + 3} textAnchor="end" fontSize="9" fill="#52525b">
              {formatDuration(maxD * f)}
            </text>
            <text x={W - PAD.r + 6} y={PAD.t + ih * (1 - f) + 3} fontSize="9" fill="#1d4ed8">
              {/* Not rounded: "3" at the line for 2.5 would misread the chart. */}
              {formatCompact(maxR * f)}
            </text>
          </g>
        ))}
        {jobs.map((j, i) => (
          <rect
            key={j._id}
            x={x(i) - bw / 2}
            y={yD(durations[i])}
            width={bw}
            height={Math.max(1, PAD.t + ih - yD(durations[i]))}
            rx="1.5"
            fill={barFill[j.status] ?? "#d4d4d8"}
            className="cursor-pointer hover:opacity-75"
            onClick={() => onOpen(j._id)}
          >
            <title>
              {`${formatDateTime(j.createdAt)} · ${j.status}${j.runType === "resync" ? " (resync)" : ""}\nDuration ${formatDuration(durations[i])} · loaded ${records[i].toLocaleString("en-US")} · errors ${j.numErrors}`}
            </title>
          </rect>
        ))}
        <path d={line} fill="none" stroke="#1d4ed8" strokeWidth="1.5" strokeLinejoin="round" />
        {records.map((r, i) => (
          <circle key={i} cx={x(i)} cy={yR(r)} r="2" fill="#1d4ed8" />
        ))}
      </svg>
    </div>
  );
}

function Legend() {
  return (
    <div className="flex items-center gap-3 text-xs text-zinc-600" aria-hidden>
      <span className="flex items-center gap-1">
        <span className="size-2 rounded-sm bg-emerald-500" />
        duration
      </span>
      <span className="flex items-center gap-1">
        <span className="h-0.5 w-3 bg-blue-700" />
        records loaded
      </span>
    </div>
  );
}
