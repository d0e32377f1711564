"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Toaster } from "sonner";
import { NowProvider } from "@/lib/ui/now";
import { makeQueryClient } from "@/lib/ui/query-client";

export function Providers({ serverNow, children }: { serverNow: number; children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      <NowProvider serverNow={serverNow}>{children}</NowProvider>
      <Toaster position="bottom-right" richColors closeButton duration={5000} />
    </QueryClientProvider>
  );
}
