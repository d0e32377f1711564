"use client";

import { Button } from "@/components/ui/button";
import { ApiClientError, errorMessage } from "@/lib/ui/api-client";
import { type ConnectionTestInput, type ConnectionTestT, useTestConnection } from "@/lib/ui/hooks/use-sync-config";
import { CheckList } from "./check-list";

/**
 * The Test connection button and its answer. `input` is null while the form is incomplete.
 * An input error (a malformed url) comes back as a field error for the form to show at the field.
 */
export function ConnectionTester({
  input,
  result,
  onResult,
  onFieldError,
}: {
  input: ConnectionTestInput | null;
  result: ConnectionTestT | null;
  onResult: (r: ConnectionTestT | null) => void;
  onFieldError: (message: string | null) => void;
}) {
  const test = useTestConnection();
  const run = async () => {
    if (!input) return;
    onFieldError(null);
    onResult(null);
    try {
      onResult(await test.mutateAsync(input));
    } catch (e) {
      onFieldError(e instanceof ApiClientError && e.status < 500 ? e.message : `Could not run the test: ${errorMessage(e)}`);
    }
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={run} pending={test.isPending} disabled={!input}>
          Test connection
        </Button>
        <span aria-live="polite" className="text-[13px]">
          {test.isPending ? (
            <span className="text-zinc-600">Testing… (gives up after 5 seconds)</span>
          ) : result ? (
            result.ok ? (
              <span className="font-medium text-emerald-700">Every check passed.</span>
            ) : (
              <span className="font-medium text-red-700">Some checks failed; see below.</span>
            )
          ) : null}
        </span>
      </div>
      {result && <CheckList result={result} />}
    </div>
  );
}
