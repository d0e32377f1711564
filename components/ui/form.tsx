"use client";

import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useState } from "react";
import { cn } from "./cn";

const control =
  "mt-1 block h-8 w-full rounded-md border border-zinc-300 bg-white px-2.5 text-[13px] focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600";

export function TextField({
  label,
  id,
  hint,
  className,
  ...rest
}: { label: string; id: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className={className}>
      <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">
        {label}
      </label>
      <input id={id} className={control} {...rest} />
      {hint && <p className="mt-1 text-xs text-zinc-600">{hint}</p>}
    </div>
  );
}

/**
 * A text box for a secret (a password, a connection URL that carries one): dots until its owner asks
 * to see it, so it is not read over a shoulder or caught in a screen share.
 */
export function SecretField({
  label,
  id,
  hint,
  className,
  ...rest
}: { label: string; id: string; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const [shown, setShown] = useState(false);
  return (
    <div className={className}>
      <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">
        {label}
      </label>
      <div className="flex items-stretch gap-1.5">
        <input id={id} type={shown ? "text" : "password"} className={control} {...rest} />
        <button
          type="button"
          onClick={() => setShown((s) => !s)}
          aria-pressed={shown}
          aria-controls={id}
          aria-label={shown ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
          className="mt-1 h-8 shrink-0 rounded-md border border-zinc-300 bg-white px-2.5 text-xs text-zinc-700 hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-600"
        >
          {shown ? "Hide" : "Show"}
        </button>
      </div>
      {hint && <p className="mt-1 text-xs text-zinc-600">{hint}</p>}
    </div>
  );
}

export function SelectField({
  label,
  id,
  children,
  className,
  ...rest
}: { label: string; id: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div className={className}>
      <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">
        {label}
      </label>
      <select id={id} className={cn(control, "pr-8")} {...rest}>
        {children}
      </select>
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800">
      {message}
    </p>
  );
}
