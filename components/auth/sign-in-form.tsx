"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/ui/api-client";

const input =
  "mt-1 block h-9 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const form = new FormData(el);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    // Said here, in words, and the cursor put where the missing part goes.
    const missing = !email ? "email" : !password ? "password" : null;
    if (missing) {
      setError(!email && !password ? "Enter your email and password." : `Enter your ${missing}.`);
      (el.elements.namedItem(missing) as HTMLInputElement | null)?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await apiRequest("/api/auth/sign-in", { method: "POST", body: { email, password } });
      router.replace(next);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
      setPending(false);
      // The button was disabled while pending, which dropped the focus: back to the password, to retype it.
      const field = el.elements.namedItem("password") as HTMLInputElement | null;
      field?.select();
      field?.focus();
    }
  }

  return (
    // method="post": a submit before hydration must not put the password in the URL (history, logs).
    <form method="post" onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="text-sm font-medium text-zinc-800">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus className={input} />
      </div>
      <div>
        <label htmlFor="password" className="text-sm font-medium text-zinc-800">
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={input} />
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" size="md" pending={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
