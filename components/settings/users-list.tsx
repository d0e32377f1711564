"use client";

import { type FormEvent, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, SelectField, TextField } from "@/components/ui/form";
import { TableSkeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { Pill } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import { errorMessage } from "@/lib/ui/api-client";
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers } from "@/lib/ui/hooks/use-settings-data";
import { useMe } from "@/lib/ui/session";
import type { UserT } from "@/lib/ui/types";

const th = "px-3 py-2 text-left text-xs font-medium text-zinc-600";
const td = "px-3 py-2 align-middle";

export function UsersList() {
  const users = useUsers(true);
  const me = useMe();
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const [resetting, setResetting] = useState<UserT | null>(null);
  const [deleting, setDeleting] = useState<UserT | null>(null);

  const changeRole = (u: UserT, role: "admin" | "support") =>
    update.mutate(
      { id: u._id, role },
      {
        onSuccess: () => toast.success(`${u.email} is now ${role}`),
        onError: (e) => toast.error(`Role not changed: ${errorMessage(e)}`),
      },
    );

  return (
    <Card title="Users" bodyClassName="p-0">
      {users.error ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} title="Could not load users" className="m-4" />
      ) : !users.data ? (
        <TableSkeleton rows={2} cols={3} label="Loading users" />
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[560px] text-[13px]">
            <caption className="sr-only">Users</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50/60">
              <tr>
                <th scope="col" className={th}>
                  Email
                </th>
                <th scope="col" className={th}>
                  Role
                </th>
                <th scope="col" className={th}>
                  Created
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {users.data.data.map((u) => {
                const self = u.email === me.email;
                return (
                  <tr key={u._id} data-testid="user-row">
                    <td className={td}>
                      {u.email}
                      {self && <span className="ml-1.5 text-xs text-zinc-500">(you)</span>}
                    </td>
                    <td className={td}>
                      {self ? (
                        <Pill tone={u.role === "admin" ? "violet" : "amber"}>{u.role}</Pill>
                      ) : (
                        <>
                          <label htmlFor={`role-${u._id}`} className="sr-only">
                            Role of {u.email}
                          </label>
                          <select
                            id={`role-${u._id}`}
                            value={u.role}
                            disabled={update.isPending}
                            onChange={(e) => changeRole(u, e.target.value === "admin" ? "admin" : "support")}
                            className="h-7 rounded-md border border-zinc-300 bg-white px-1.5 text-[13px]"
                          >
                            <option value="support">support</option>
                            <option value="admin">admin</option>
                          </select>
                        </>
                      )}
                    </td>
                    <td className={td}>
                      <RelativeTime iso={u.createdAt} past />
                    </td>
                    <td className={`${td} whitespace-nowrap text-right`}>
                      {!self && (
                        <span className="inline-flex gap-1.5">
                          <Button size="xs" onClick={() => setResetting(u)} aria-label={`Reset password of ${u.email}`}>
                            Reset password
                          </Button>
                          <Button size="xs" variant="danger" onClick={() => setDeleting(u)} aria-label={`Delete user ${u.email}`}>
                            Delete
                          </Button>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <AddUserForm />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
      <ConfirmDialog
        open={!!deleting}
        title={`Delete ${deleting?.email}?`}
        description="They are signed out at once and can no longer sign in. Jobs they ran keep their name in the history. The last admin cannot be deleted."
        confirmLabel="Delete user"
        tone="danger"
        pending={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting._id, {
            onSuccess: () => toast.success(`User ${deleting.email} deleted`),
            onError: (e) => toast.error(`Not deleted: ${errorMessage(e)}`),
            onSettled: () => setDeleting(null),
          })
        }
      />
    </Card>
  );
}

/** An admin sets a new password for someone who forgot theirs; that user is signed out everywhere. */
function ResetPasswordDialog({ user, onClose }: { user: UserT | null; onClose: () => void }) {
  const update = useUpdateUser();
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    update.reset();
    onClose();
  };
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!user) return;
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    setError(null);
    try {
      await update.mutateAsync({ id: user._id, password });
      toast.success(`Password of ${user.email} reset`);
      close();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <Dialog
      open={!!user}
      onClose={close}
      title={`Reset the password of ${user?.email ?? ""}`}
      description="They are signed out everywhere and sign in with this password. Tell it to them over a channel you trust."
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <TextField
          id="reset-password"
          name="password"
          type="password"
          label="New password"
          required
          minLength={8}
          autoComplete="new-password"
          hint="8 characters or more"
        />
        <FormError message={error} />
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" pending={update.isPending}>
            Set password
          </Button>
        </DialogActions>
      </form>
    </Dialog>
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
        <TextField
          id="new-user-password"
          name="password"
          type="password"
          label="Initial password"
          required
          minLength={8}
          autoComplete="new-password"
        />
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
