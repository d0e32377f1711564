import { type ButtonHTMLAttributes, forwardRef } from "react";
import { cn } from "./cn";
import { Spinner } from "./spinner";

type Variant = "primary" | "secondary" | "danger" | "ghost";
type Size = "xs" | "sm" | "md";

const variants: Record<Variant, string> = {
  primary: "bg-zinc-900 text-white hover:bg-zinc-700 disabled:bg-zinc-400 border border-zinc-900 disabled:border-zinc-400",
  secondary: "bg-white text-zinc-800 border border-zinc-300 hover:bg-zinc-50 hover:border-zinc-400 disabled:text-zinc-500",
  danger: "bg-white text-red-700 border border-red-300 hover:bg-red-50 hover:border-red-400 disabled:text-red-400",
  ghost: "bg-transparent text-zinc-700 border border-transparent hover:bg-zinc-100 disabled:text-zinc-400",
};
const sizes: Record<Size, string> = {
  xs: "h-6 px-2 text-xs gap-1",
  sm: "h-7 px-2.5 text-[13px] gap-1.5",
  md: "h-8 px-3 text-sm gap-2",
};

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: Size; pending?: boolean };

/**
 * A button that shows its pending state (spinner, aria-busy) while its action runs, and takes no
 * second click meanwhile. A pending submit button is disabled (so Enter cannot submit twice); any
 * other stays focusable, so the keyboard user who pressed it is still on it when the action ends.
 */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "secondary", size = "sm", pending = false, disabled, className, children, type = "button", onClick, ...rest },
  ref,
) {
  const held = pending && type !== "submit";
  return (
    <button
      ref={ref}
      type={type}
      disabled={disabled || (pending && !held)}
      aria-disabled={held || undefined}
      aria-busy={pending || undefined}
      onClick={held ? (e) => e.preventDefault() : onClick}
      className={cn(
        "inline-flex shrink-0 items-center justify-center whitespace-nowrap rounded-md font-medium transition-colors",
        "disabled:cursor-not-allowed aria-disabled:cursor-wait",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    >
      {pending && <Spinner />}
      {children}
    </button>
  );
});
