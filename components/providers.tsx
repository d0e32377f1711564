"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import { Toaster } from "sonner";
import { NowProvider } from "@/lib/ui/now";
import { makeQueryClient } from "@/lib/ui/query-client";

export function Providers({ serverNow, children }: { serverNow: number; children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  // Says the page is interactive: a click on the server's HTML before React attached its handlers
  // does nothing, so browser tests wait for this mark after loading a page.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return (
    <QueryClientProvider client={client}>
      <NowProvider serverNow={serverNow}>{children}</NowProvider>
      <Toaster position="bottom-right" richColors closeButton duration={5000} />
    </QueryClientProvider>
  );
}
