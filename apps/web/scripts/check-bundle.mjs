#!/usr/bin/env node
// Bundle budget for the production build (run after `vite build`):
// - initial JS = the entry script plus the chunks index.html preloads, gzipped,
//   must stay within INITIAL_GZIP_BUDGET (issue #7: ≤ 150 KB gzip);
// - no single JS file may exceed the SPEC's 512 KB main-bundle budget.
// Prints the measured sizes either way, so the build log records them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const KB = 1024;
const INITIAL_GZIP_BUDGET = 150 * KB;
const FILE_BUDGET = 512 * KB;

const dist = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "..", "dist"));
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const initial = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((m) => m[1]);
if (initial.length === 0) {
  console.error(`No entry script found in ${path.join(dist, "index.html")}`);
  process.exit(1);
}

const fmt = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
let failed = false;
let initialGzip = 0;
let initialRaw = 0;
for (const url of initial) {
  const body = readFileSync(path.join(dist, url.replace(/^\//, "")));
  const gz = gzipSync(body, { level: 9 }).length;
  initialGzip += gz;
  initialRaw += body.length;
  console.log(`  initial ${url}: ${fmt(body.length)} (${fmt(gz)} gzip)`);
}
console.log(`Initial JS: ${fmt(initialRaw)}, ${fmt(initialGzip)} gzip (budget ${fmt(INITIAL_GZIP_BUDGET)} gzip)`);
if (initialGzip > INITIAL_GZIP_BUDGET) {
  console.error("Initial JS is over budget: lazy-load more of it.");
  failed = true;
}

for (const file of readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js"))) {
  const size = readFileSync(path.join(dist, "assets", file)).length;
  if (size > FILE_BUDGET) {
    console.error(`assets/${file} is ${fmt(size)}, over the ${fmt(FILE_BUDGET)} per-bundle budget.`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
