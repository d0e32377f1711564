import { Skeleton, TableSkeleton } from "./skeleton";

/** Shown at once on navigation while the next page's data is read on the server. */
export function PageLoading() {
  return (
    <div role="status" aria-label="Loading page">
      <Skeleton className="mb-2 h-3 w-40" />
      <Skeleton className="mb-6 h-6 w-64" />
      <TableSkeleton rows={6} cols={7} label="Loading" />
    </div>
  );
}
