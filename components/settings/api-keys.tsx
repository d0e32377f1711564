"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Pill } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import { errorMessage } from "@/lib/ui/api-client";
import { useNow } from "@/lib/ui/now";
import { useApiKeys, useRevokeApiKey } from "@/lib/ui/hooks/use-settings-data";
import type { ApiKeyT } from "@/lib/ui/types";
import { CreateKeyDialog } from "./create-key-dialog";

const th = "px-3 py-2 text-left text-xs font-medium text-zinc-600";
const td = "px-3 py-2 align-middle";

export function ApiKeys() {
  const keys = useApiKeys(true);
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyT | null>(null);
  const now = useNow(false);
  const state = (k: ApiKeyT) =>
    k.revokedAt ? (
      <Pill>Revoked</Pill>
    ) : k.expiresAt && Date.parse(k.expiresAt) < now ? (
      <Pill tone="amber">Expired</Pill>
    ) : (
      <Pill tone="blue">Active</Pill>
    );

  return (
    <Card
      title="API keys"
      bodyClassName="p-0"
      actions={
        <Button size="sm" variant="primary" onClick={() => setCreating(true)}>
          Create API key
        </Button>
      }
    >
      {keys.error ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} title="Could not load API keys" className="m-4" />
      ) : !keys.data ? (
        <TableSkeleton rows={3} cols={5} label="Loading API keys" />
      ) : !keys.data.data.length ? (
        <EmptyState title="No API keys yet" className="m-4 border-none">
          Create one for each system that calls the API, with only the scopes it needs.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[840px] text-[13px]">
            <caption className="sr-only">API keys</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50/60">
              <tr>
                <th scope="col" className={th}>
                  Name
                </th>
                <th scope="col" className={th}>
                  Token
                </th>
                <th scope="col" className={th}>
                  Scopes
                </th>
                <th scope="col" className={th}>
                  Rate limit
                </th>
                <th scope="col" className={th}>
                  Created
                </th>
                <th scope="col" className={th}>
                  Last used
                </th>
                <th scope="col" className={th}>
                  State
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {keys.data.data.map((k) => (
                <tr key={k._id} data-testid="api-key-row" className={k.revokedAt ? "text-zinc-500" : undefined}>
                  <td className={`${td} font-medium`}>{k.name}</td>
                  <td className={`${td} font-mono text-xs`}>{k.prefix}…</td>
                  <td className={td}>
                    <span className="flex flex-wrap gap-1">
                      {k.scopes.map((s) => (
                        <Pill key={s} tone={s === "admin" ? "violet" : "zinc"}>
                          {s}
                        </Pill>
                      ))}
                    </span>
                  </td>
                  <td className={`${td} whitespace-nowrap`}>
                    {k.rateLimitPerMinute ? (
                      `${k.rateLimitPerMinute.toLocaleString("en-US")}/min`
                    ) : (
                      <span className="text-zinc-500">default</span>
                    )}
                  </td>
                  <td className={td}>
                    <RelativeTime iso={k.createdAt} past />
                  </td>
                  <td className={td}>
                    <RelativeTime iso={k.lastUsedAt} fallback="never" past />
                  </td>
                  <td className={td}>{state(k)}</td>
                  <td className={`${td} text-right`}>
                    {!k.revokedAt && (
                      <Button size="xs" variant="danger" onClick={() => setRevoking(k)} aria-label={`Revoke API key ${k.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke "${revoking?.name}"?`}
        description="Requests with this key fail immediately. This cannot be undone; create a new key to restore access."
        confirmLabel="Revoke key"
        tone="danger"
        pending={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking._id, {
            onSuccess: () => toast.success(`API key "${revoking.name}" revoked`),
            onError: (e) => toast.error(`Revoke failed: ${errorMessage(e)}`),
            onSettled: () => setRevoking(null),
          })
        }
      />
    </Card>
  );
}
