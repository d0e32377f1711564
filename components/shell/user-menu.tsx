"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Pill } from "@/components/ui/status-badge";
import { apiSend, errorMessage } from "@/lib/ui/api-client";
import { useMe } from "@/lib/ui/session";

/** Signs out, drops every cached query and goes to the sign-in page. */
export function useSignOut() {
  const router = useRouter();
  const client = useQueryClient();
  const [pending, setPending] = useState(false);
  const signOut = async () => {
    setPending(true);
    try {
      await apiSend("POST", "/api/auth/sign-out");
      client.clear();
      router.replace("/sign-in");
      router.refresh();
    } catch (e) {
      toast.error(`Sign-out failed: ${errorMessage(e)}`);
      setPending(false);
    }
  };
  return { signOut, pending };
}

export function UserMenu() {
  const me = useMe();
  const { signOut, pending } = useSignOut();
  return (
    <div className="flex items-center gap-2">
      <span className="hidden max-w-48 truncate text-xs text-zinc-600 lg:inline" title={me.email}>
        {me.email}
      </span>
      <Pill tone={me.role === "admin" ? "violet" : "amber"}>{me.role}</Pill>
      <Button size="xs" variant="ghost" pending={pending} onClick={signOut}>
        Sign out
      </Button>
    </div>
  );
}
