"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button, type ButtonProps } from "./button";

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Plain-http deployments have no async clipboard API.
  const area = document.createElement("textarea");
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("The browser refused to copy");
}

export function CopyButton({
  text,
  label = "Copy",
  copiedMessage = "Copied to clipboard",
  ...rest
}: { text: string | (() => string); label?: string; copiedMessage?: string } & Omit<ButtonProps, "onClick">) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="xs"
      variant="ghost"
      {...rest}
      onClick={async () => {
        try {
          await writeClipboard(typeof text === "function" ? text() : text);
          setCopied(true);
          toast.success(copiedMessage);
          setTimeout(() => setCopied(false), 1500);
        } catch (e) {
          toast.error(`Copy failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }}
    >
      {copied ? "Copied" : label}
    </Button>
  );
}
