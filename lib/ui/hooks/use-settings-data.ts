"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiSend, qs } from "@/lib/ui/api-client";
import { qk } from "@/lib/ui/query-keys";
import type { ApiKeyCreatedT, ApiKeyT, Page, UserT } from "@/lib/ui/types";

export function useApiKeys(enabled: boolean) {
  return useQuery({ queryKey: qk.apiKeys(), queryFn: () => apiGet<Page<ApiKeyT>>(`/v1/apiKeys${qs({ limit: 200 })}`), enabled });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; scopes: string[] }) => apiSend<ApiKeyCreatedT>("POST", "/v1/apiKeys", body),
    onSettled: () => client.invalidateQueries({ queryKey: qk.apiKeys() }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiSend<null>("DELETE", `/v1/apiKeys/${id}`),
    onSettled: () => client.invalidateQueries({ queryKey: qk.apiKeys() }),
  });
}

export function useUsers(enabled: boolean) {
  return useQuery({ queryKey: qk.users(), queryFn: () => apiGet<Page<UserT>>(`/v1/users${qs({ limit: 200 })}`), enabled });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string; role: "admin" | "support" }) => apiSend<UserT>("POST", "/v1/users", body),
    onSettled: () => client.invalidateQueries({ queryKey: qk.users() }),
  });
}
