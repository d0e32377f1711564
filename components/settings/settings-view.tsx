"use client";

import { Card, Field } from "@/components/ui/card";
import { Pill } from "@/components/ui/status-badge";
import { useMe } from "@/lib/ui/session";
import { ApiKeys } from "./api-keys";
import { ChangePasswordForm } from "./change-password-form";
import { UsersList } from "./users-list";

export function SettingsView() {
  const me = useMe();
  return (
    <div className="space-y-5">
      <Card title="Your account">
        <dl className="grid gap-4 sm:grid-cols-3">
          <Field label="Email">{me.email}</Field>
          <Field label="Role">
            <Pill tone={me.role === "admin" ? "violet" : "amber"}>{me.role}</Pill>
          </Field>
          <Field label="Access">{me.role === "admin" ? "Run, cancel and manage everything" : "Read-only: jobs, tables and errors"}</Field>
        </dl>
        <ChangePasswordForm />
      </Card>
      {me.role === "admin" ? (
        <>
          <ApiKeys />
          <UsersList />
        </>
      ) : (
        <Card title="API keys and users">
          <p className="text-[13px] text-zinc-700">
            Only admins can manage API keys and users. Ask an admin if you need a key for a script.
          </p>
        </Card>
      )}
    </div>
  );
}
