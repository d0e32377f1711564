import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Sync Console", template: "%s · Sync Console" },
  description: "Run, watch and debug data syncs into your warehouse",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans text-sm">
        {/* A server component renders once per request: this is that request's time, not a render-time impurity. */}
        {/* eslint-disable-next-line react-hooks/purity */}
        <Providers serverNow={Date.now()}>{children}</Providers>
      </body>
    </html>
  );
}
