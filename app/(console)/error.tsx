"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** An unexpected failure while rendering a page (the database is down, say): say so, offer a retry. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => console.error(error), [error]);
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md rounded-lg border border-red-200 bg-white p-6 text-center">
      <h1 className="text-base font-semibold text-zinc-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-zinc-600">
        The server ran into a problem. It may be temporary; try again in a moment.
        {error.digest && <span className="mt-1 block font-mono text-xs text-zinc-500">Reference {error.digest}</span>}
      </p>
      <Button className="mt-4" variant="primary" size="md" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
