import type { ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";

export function EmptyState({
  title,
  children,
  action,
  className,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-12 text-center",
        className,
      )}
    >
      <p className="text-sm font-medium text-zinc-900">{title}</p>
      {children && <div className="mt-1 max-w-md text-sm text-zinc-600">{children}</div>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}

/** An API failure, with the API's own message and a retry. */
export function ErrorState({
  error,
  onRetry,
  title = "Could not load this",
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  className?: string;
}) {
  const message = error instanceof Error ? error.message : String(error ?? "Unknown error");
  return (
    <div role="alert" className={cn("rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm", className)}>
      <div className="flex items-start justify-between gap-4">
        <div>
          <p className="font-medium text-red-900">{title}</p>
          <p className="mt-0.5 text-red-800">{message}</p>
        </div>
        {onRetry && (
          <Button size="xs" onClick={onRetry}>
            Retry
          </Button>
        )}
      </div>
    </div>
  );
}
