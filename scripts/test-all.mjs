#!/usr/bin/env node
// `npm test`: runs every package's vitest through turbo, then prints one line
// per package and a total, read from the JSON report each run writes.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const packages = ["apps", "packages"].flatMap((group) =>
  readdirSync(path.join(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(group, d.name)),
);
const reportOf = (dir) => path.join(root, dir, "test-results", "vitest.json");
for (const dir of packages) rmSync(reportOf(dir), { force: true });

const args = ["turbo", "run", "test", "--output-logs=full", "--continue", ...process.argv.slice(2)];
const run = spawnSync("npx", args, { cwd: root, stdio: "inherit" });

let passed = 0;
let failed = 0;
let skipped = 0;
console.log("\nTest summary by package:");
for (const dir of packages) {
  const file = reportOf(dir);
  if (!existsSync(file)) {
    if (existsSync(path.join(root, dir, "vitest.config.ts"))) {
      console.log(`  ${dir.padEnd(22)} no report (the run failed before finishing)`);
      failed += 1;
    }
    continue;
  }
  const r = JSON.parse(readFileSync(file, "utf8"));
  const skip = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += skip;
  console.log(`  ${dir.padEnd(22)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skip} skipped`);
}
console.log(`\nall: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
