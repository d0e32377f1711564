"use client";

import { useState } from "react";
import { cn } from "./cn";

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * A time of day typed as 24-hour HH:MM, the console's one clock format. (A native time input
 * follows the browser's locale and shows 2:00 PM to some users and 14:00 to others.)
 * `onChange` fires only with a complete, valid time; anything else shows an inline hint.
 */
export function TimeOfDayInput({
  id,
  value,
  onChange,
  className,
}: {
  id: string;
  value: string;
  onChange: (hhmm: string) => void;
  className?: string;
}) {
  const [text, setText] = useState(value);
  // A new value from outside replaces what is typed (adjusted during render, not in an effect).
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    setShownValue(value);
    setText(value);
  }
  const bad = text !== "" && !HH_MM.test(text);
  return (
    <>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        maxLength={5}
        placeholder="HH:MM"
        value={text}
        aria-invalid={bad || undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const next = e.target.value.trim();
          setText(next);
          if (HH_MM.test(next)) onChange(next);
        }}
        className={cn("w-20 tabular-nums", className, bad && "border-red-400")}
      />
      <span id={`${id}-hint`} className={cn("text-[11px]", bad ? "text-red-700" : "text-zinc-500")}>
        {bad ? "Use 24-hour HH:MM, e.g. 14:30" : "24-hour"}
      </span>
    </>
  );
}
