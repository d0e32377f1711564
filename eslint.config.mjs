// First: typescript-eslint needs TypeScript 6's API; this makes `typescript` resolve to it in this process.
import "./eslint/typescript-6.cjs";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import layers from "./eslint/layers.mjs";

/** Next.js's own rules (React, hooks, a11y, imports, TypeScript); formatting is Prettier's job. */
const config = [
  {
    ignores: [
      "node_modules/**",
      ".next*/**",
      ".data/**",
      "drizzle/**",
      "test-results/**",
      "playwright-report/**",
      "tmp/**",
      "next-env.d.ts",
    ],
  },
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      // A `let` read by a closure before its one assignment (a timer a cleanup may clear early) stays a `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // A leading underscore marks a value taken apart on purpose (rest-omit, unused tuple slots).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read JSON bodies whose shape is the thing under test; typing every one would only restate the assertion.
    files: ["tests/**", "e2e/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      // Playwright fixtures take a `use` callback; it is not React's `use`.
      "react-hooks/rules-of-hooks": "off",
    },
  },
  {
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  ...layers,
];

export default config;
