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
    mutationFn: (body: { name: string; scopes: string[]; rateLimitPerMinute?: number }) =>
      apiSend<ApiKeyCreatedT>("POST", "/v1/apiKeys", body),
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

/** An admin's change to another user: a role, a new password, or both. */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: "admin" | "support"; password?: string }) =>
      apiSend<UserT>("PATCH", `/v1/users/${id}`, body),
    onSettled: () => client.invalidateQueries({ queryKey: qk.users() }),
  });
}

export function useDeleteUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiSend<null>("DELETE", `/v1/users/${id}`),
    onSettled: () => client.invalidateQueries({ queryKey: qk.users() }),
  });
}

/** The signed-in user's own password; other sessions of theirs are signed out by the server. */
export function useChangeOwnPassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => apiSend<null>("POST", "/v1/users/me/password", body),
  });
}
