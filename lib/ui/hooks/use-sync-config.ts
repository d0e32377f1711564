"use client";

import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { connectionTestResult, discoveryResult } from "@/lib/contracts/connections";
import { apiSend } from "@/lib/ui/api-client";
import { qk } from "@/lib/ui/query-keys";
import type { IntegrationT, SyncT } from "@/lib/ui/types";

export type ConnectionTestT = z.infer<typeof connectionTestResult>;
export type DiscoveryT = z.infer<typeof discoveryResult>;
export type DiscoveredTableT = DiscoveryT["tables"][number];

export type ConnectionTestInput =
  | { type: "postgres"; url: string; target: "source" | "destination"; schema?: string; replication?: "logical" }
  | { _syncId: string; target: "source" | "destination"; schema?: string; replication?: "logical" };
export type DiscoverInput = { type: "postgres"; url: string; schema?: string } | { _syncId: string; schema?: string };

/**
 * The one place that says what a change to a sync's or an integration's settings makes stale:
 * the integration list (sync counts), the integration's syncs, and the sync itself.
 */
export function invalidateConfig(client: QueryClient, ids: { integrationId?: string; syncId?: string }): void {
  void client.invalidateQueries({ queryKey: qk.integrations() });
  if (ids.integrationId) void client.invalidateQueries({ queryKey: qk.integration(ids.integrationId) });
  if (ids.syncId) void client.invalidateQueries({ queryKey: qk.sync(ids.syncId) });
}

/** Checks run on the server; the form's url goes there and nothing of it comes back. */
export const useTestConnection = () =>
  useMutation({ mutationFn: (input: ConnectionTestInput) => apiSend<ConnectionTestT>("POST", "/v1/connections/test", input) });

export const useDiscoverSource = () =>
  useMutation({ mutationFn: (input: DiscoverInput) => apiSend<DiscoveryT>("POST", "/v1/sources/discover", input) });

export type CreateSyncInput = { integration: { id: string } | { name: string }; body: Record<string, unknown> };

/** Creates the integration first when the wizard asked for a new one; returns both ids. */
export function useCreateSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateSyncInput): Promise<{ integration: IntegrationT | null; sync: SyncT }> => {
      const integration =
        "name" in input.integration ? await apiSend<IntegrationT>("POST", "/v1/integrations", { name: input.integration.name }) : null;
      const integrationId = integration?._id ?? (input.integration as { id: string }).id;
      try {
        const sync = await apiSend<SyncT>("POST", "/v1/syncs", { ...input.body, _integrationId: integrationId });
        return { integration, sync };
      } catch (e) {
        // The integration exists now: the caller keeps it, so a retry does not create a second one.
        if (integration) Object.assign(e as object, { createdIntegration: integration });
        throw e;
      }
    },
    onSettled: (res, _e, input) =>
      invalidateConfig(client, {
        integrationId: res?.sync._integrationId ?? ("id" in input.integration ? input.integration.id : undefined),
      }),
  });
}

export function useUpdateSync(sync: Pick<SyncT, "_id" | "_integrationId">) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: Record<string, unknown>) => apiSend<SyncT>("PATCH", `/v1/syncs/${sync._id}`, patch),
    onSuccess: (view) => client.setQueryData(qk.syncDetail(sync._id), view),
    onSettled: () => invalidateConfig(client, { integrationId: sync._integrationId, syncId: sync._id }),
  });
}

export function useDeleteSync(sync: Pick<SyncT, "_id" | "_integrationId">) {
  const client = useQueryClient();
  return useMutation({
    // force: delete even when the source would not let us drop the replication slot (the API says what to drop by hand).
    mutationFn: (opts: { force?: boolean } = {}) => apiSend<null>("DELETE", `/v1/syncs/${sync._id}${opts.force ? "?force=true" : ""}`),
    onSuccess: () => client.removeQueries({ queryKey: qk.sync(sync._id) }),
    onSettled: () => invalidateConfig(client, { integrationId: sync._integrationId }),
  });
}

export function useUpdateIntegration(integrationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: { name: string }) => apiSend<IntegrationT>("PATCH", `/v1/integrations/${integrationId}`, patch),
    onSuccess: (view) => client.setQueryData(qk.integration(integrationId), view),
    onSettled: () => invalidateConfig(client, { integrationId }),
  });
}

export function useDeleteIntegration(integrationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend<null>("DELETE", `/v1/integrations/${integrationId}`),
    onSuccess: () => client.removeQueries({ queryKey: qk.integration(integrationId) }),
    onSettled: () => void client.invalidateQueries({ queryKey: qk.integrations() }),
  });
}
