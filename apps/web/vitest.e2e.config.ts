import path from "node:path";
import { defineConfig } from "vitest/config";

// End-to-end: real Chromium against the real API and a fresh database per file.
// globalSetup starts PostgreSQL (TEST_DATABASE_URL or an embedded one) and
// builds the web app once; each spec starts its own API server on that build.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    globalSetup: ["@taskmaster/db/testing/global-setup", "./e2e/global-build.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each file drives its own browser; two at a time keeps a 2-core CI machine responsive.
    maxWorkers: 2,
    reporters: ["default", ["json", { outputFile: path.join(import.meta.dirname, "test-results", "vitest-e2e.json") }]],
  },
});
