#!/usr/bin/env node
// `npm test`: every package's vitest suite through turbo, then the browser
// end-to-end suite (apps/web, real Chromium), then one line per suite and a
// total, read from the JSON report each run writes.
// The browser suite needs /usr/bin/chromium (Debian's `chromium` package): it
// runs whenever that exists, and is required (a failure) when CI is set.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const packages = ["apps", "packages"].flatMap((group) =>
  readdirSync(path.join(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(group, d.name)),
);
const suites = [
  ...packages.map((dir) => ({ name: dir, report: path.join(root, dir, "test-results", "vitest.json"), dir })),
  { name: "apps/web (browser)", report: path.join(root, "apps/web/test-results/vitest-e2e.json"), dir: null },
];
for (const s of suites) rmSync(s.report, { force: true });

const unit = spawnSync("npx", ["turbo", "run", "test", "--output-logs=full", "--continue", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let e2e = { status: 0 };
let e2eNote = "";
if (existsSync(chromium)) {
  e2e = spawnSync("npm", ["run", "test:e2e", "-w", "@taskmaster/web"], { cwd: root, stdio: "inherit" });
} else if (process.env.CI) {
  e2eNote = `browser suite could not run: ${chromium} is missing (apt-get install chromium)`;
  e2e = { status: 1 };
} else {
  e2eNote = `browser suite skipped: ${chromium} not found (apt-get install chromium to run it)`;
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.log("\nTest summary by suite:");
for (const s of suites) {
  if (!existsSync(s.report)) {
    const expected = s.dir ? existsSync(path.join(root, s.dir, "vitest.config.ts")) : !e2eNote;
    if (expected) {
      console.log(`  ${s.name.padEnd(22)} no report (the run failed before finishing)`);
      failed += 1;
    }
    continue;
  }
  const r = JSON.parse(readFileSync(s.report, "utf8"));
  const skip = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += skip;
  console.log(`  ${s.name.padEnd(22)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skip} skipped`);
}
if (e2eNote) console.log(`  ${e2eNote}`);
console.log(`\nall: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(unit.status === 0 && e2e.status === 0 && failed === 0 ? 0 : 1);
