"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Pill } from "@/components/ui/status-badge";
import { useQueryClient } from "@tanstack/react-query";
import { apiSend, errorMessage } from "@/lib/ui/api-client";
import { useMe } from "@/lib/ui/session";

export function UserMenu() {
  const me = useMe();
  const router = useRouter();
  const client = useQueryClient();
  const [pending, setPending] = useState(false);
  return (
    <div className="flex items-center gap-2">
      <span className="hidden max-w-48 truncate text-xs text-zinc-600 md:inline" title={me.email}>
        {me.email}
      </span>
      <Pill tone={me.role === "admin" ? "violet" : "amber"}>{me.role}</Pill>
      <Button
        size="xs"
        variant="ghost"
        pending={pending}
        onClick={async () => {
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
        }}
      >
        Sign out
      </Button>
    </div>
  );
}
