"use client";

import { type FormEvent, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError, SelectField, TextField } from "@/components/ui/form";
import { TableSkeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { Pill } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import { errorMessage } from "@/lib/ui/api-client";
import { useCreateUser, useUsers } from "@/lib/ui/hooks/use-settings-data";

const th = "px-3 py-2 text-left text-xs font-medium text-zinc-600";
const td = "px-3 py-2 align-middle";

export function UsersList() {
  const users = useUsers(true);
  return (
    <Card title="Users" bodyClassName="p-0">
      {users.error ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} title="Could not load users" className="m-4" />
      ) : !users.data ? (
        <TableSkeleton rows={2} cols={3} label="Loading users" />
      ) : (
        <table className="w-full text-[13px]">
          <caption className="sr-only">Users</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50/60">
            <tr>
              <th scope="col" className={th}>Email</th>
              <th scope="col" className={th}>Role</th>
              <th scope="col" className={th}>Created</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {users.data.data.map((u) => (
              <tr key={u._id}>
                <td className={td}>{u.email}</td>
                <td className={td}>
                  <Pill tone={u.role === "admin" ? "violet" : "amber"}>{u.role}</Pill>
                </td>
                <td className={td}>
                  <RelativeTime iso={u.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddUserForm />
    </Card>
  );
}

function AddUserForm() {
  const create = useCreateUser();
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError(null);
    try {
      const user = await create.mutateAsync({
        email: String(f.get("email") ?? "").trim(),
        password: String(f.get("password") ?? ""),
        role: f.get("role") === "admin" ? "admin" : "support",
      });
      toast.success(`User ${user.email} created`);
      form.current?.reset();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="space-y-3 border-t border-zinc-200 p-4">
      <h3 className="text-[13px] font-semibold text-zinc-900">Add a user</h3>
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_190px_auto] sm:items-end">
        <TextField id="new-user-email" name="email" type="email" label="Email" required autoComplete="off" />
        <TextField id="new-user-password" name="password" type="password" label="Initial password" required minLength={8} autoComplete="new-password" />
        <SelectField id="new-user-role" name="role" label="Role" defaultValue="support">
          <option value="support">support (read-only)</option>
          <option value="admin">admin</option>
        </SelectField>
        <Button type="submit" size="md" variant="primary" pending={create.isPending}>
          Add user
        </Button>
      </div>
      <FormError message={error} />
    </form>
  );
}
