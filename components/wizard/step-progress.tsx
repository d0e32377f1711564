import { cn } from "@/components/ui/cn";

/** Where the wizard is: each step numbered, finished ones clickable to go back to. */
export function StepProgress({
  steps,
  current,
  onGo,
}: {
  steps: { key: string; label: string }[];
  current: number;
  onGo: (i: number) => void;
}) {
  return (
    <nav aria-label="Progress" className="mb-5">
      <p className="mb-2 text-xs text-zinc-600 sm:hidden">
        Step {current + 1} of {steps.length}: <span className="font-medium text-zinc-900">{steps[current].label}</span>
      </p>
      <ol className="flex flex-wrap gap-1.5">
        {steps.map((s, i) => {
          const done = i < current;
          const body = (
            <>
              <span
                className={cn(
                  "inline-flex size-5 items-center justify-center rounded-full text-[11px] font-semibold",
                  i === current ? "bg-zinc-900 text-white" : done ? "bg-emerald-600 text-white" : "bg-zinc-200 text-zinc-700",
                )}
                aria-hidden
              >
                {done ? "✓" : i + 1}
              </span>
              <span className={cn(i === current ? "font-medium text-zinc-900" : "text-zinc-700", i !== current && "hidden sm:inline")}>
                {s.label}
              </span>
              {done && <span className="sr-only"> (done)</span>}
            </>
          );
          return (
            <li key={s.key} aria-current={i === current ? "step" : undefined} className="flex items-center">
              {done ? (
                <button
                  type="button"
                  onClick={() => onGo(i)}
                  className="flex items-center gap-1.5 rounded-md px-1.5 py-1 text-[13px] hover:bg-zinc-100"
                  aria-label={`Back to step ${i + 1}: ${s.label}`}
                >
                  {body}
                </button>
              ) : (
                <span className="flex items-center gap-1.5 px-1.5 py-1 text-[13px]">{body}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
