import { cn } from "./cn";

/** A labelled progress bar; `value` is a percentage, undefined while the total is unknown. */
export function ProgressBar({
  value,
  label,
  className,
  tone = "blue",
}: {
  value: number | undefined;
  label: string;
  className?: string;
  tone?: "blue" | "emerald" | "red" | "zinc";
}) {
  const tones = { blue: "bg-blue-600", emerald: "bg-emerald-600", red: "bg-red-600", zinc: "bg-zinc-400" };
  const v = value === undefined ? undefined : Math.max(0, Math.min(100, value));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v === undefined ? undefined : Math.round(v)}
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-zinc-200", className)}
    >
      <div
        className={cn("h-full rounded-full transition-[width] duration-500", tones[tone], v === undefined && "w-1/3 animate-pulse")}
        style={v === undefined ? undefined : { width: `${v}%` }}
      />
    </div>
  );
}
