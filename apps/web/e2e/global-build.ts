import path from "node:path";
import { build } from "vite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    webDist: string;
  }
}

/** Builds the production bundle once per run: the e2e tests exercise exactly what ships. */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "..");
  const outDir = path.join(root, "dist");
  await build({ root, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  project.provide("webDist", outDir);
}
