import path from "node:path";
import type { ViteUserConfig } from "vitest/config";

/**
 * Settings every package's vitest config starts from. Each run also writes a
 * JSON report that `npm test` (scripts/test-all.mjs) sums up per package.
 */
export function sharedTestConfig(packageDir: string): NonNullable<ViteUserConfig["test"]> {
  return {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", ["json", { outputFile: path.join(packageDir, "test-results", "vitest.json") }]],
  };
}
