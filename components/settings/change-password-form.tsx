"use client";

import { type FormEvent, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/form";
import { errorMessage } from "@/lib/ui/api-client";
import { useChangeOwnPassword } from "@/lib/ui/hooks/use-settings-data";

/** Your own password: needs the current one; your other browsers are signed out, this one stays. */
export function ChangePasswordForm() {
  const change = useChangeOwnPassword();
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const currentPassword = String(f.get("currentPassword") ?? "");
    const newPassword = String(f.get("newPassword") ?? "");
    setError(null);
    if (newPassword !== String(f.get("confirmPassword") ?? "")) return setError("The new passwords do not match");
    try {
      await change.mutateAsync({ currentPassword, newPassword });
      toast.success("Password changed; your other sessions were signed out");
      form.current?.reset();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="change-password-title"
      className="mt-4 space-y-3 border-t border-zinc-200 pt-4"
    >
      <h3 id="change-password-title" className="text-[13px] font-semibold text-zinc-900">
        Change your password
      </h3>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          id="current-password"
          name="currentPassword"
          type="password"
          label="Current password"
          required
          autoComplete="current-password"
        />
        <TextField
          id="new-password"
          name="newPassword"
          type="password"
          label="New password"
          required
          minLength={8}
          autoComplete="new-password"
          hint="8 characters or more"
        />
        <TextField
          id="confirm-password"
          name="confirmPassword"
          type="password"
          label="Repeat new password"
          required
          autoComplete="new-password"
        />
      </div>
      <FormError message={error} />
      <Button type="submit" variant="primary" pending={change.isPending}>
        Change password
      </Button>
    </form>
  );
}
