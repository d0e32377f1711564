import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
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
