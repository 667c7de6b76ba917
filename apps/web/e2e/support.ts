import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { startTestServer } from "@taskmaster/api/testing";
import { createTestDatabase } from "@taskmaster/db/testing";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect, inject } from "vitest";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const RESULTS_DIR = path.resolve(import.meta.dirname, "..", "test-results");

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Stack {
  url: string;
  adminUrl: string;
  browser: Browser;
  stop: () => Promise<void>;
}

/** A fresh database, the real API serving the built web app on one origin, and a headless Chromium. */
export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase();
  const server = await startTestServer({ databaseUrl: db.appUrl, webDist: inject("webDist") });
  // playwright-core gives each launch a fresh throw-away profile (its own --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    url: server.url,
    adminUrl: db.adminUrl,
    browser,
    stop: async () => {
      await browser.close();
      await server.stop();
      await db.drop();
    },
  };
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** CSP violations and console errors seen so far; every check expects it empty. */
  problems: string[];
}

/** A page in a fresh context that records every CSP violation, console error and uncaught exception. */
export async function openPage(stack: Stack): Promise<WatchedPage> {
  const context = await stack.browser.newContext({ baseURL: stack.url, viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  await context.exposeBinding("__reportCspViolation", (_source, text: string) => {
    problems.push(`CSP violation: ${text}`);
  });
  // Registered before any page script runs, so no violation can slip past.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation;
      report(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  return { page, context, problems };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, which the
 * page's CSP does not govern) and fails on serious or critical violations.
 */
export async function expectAccessible(page: Page, screen: string) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  const serious = (violations as AxeViolation[])
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}

/** The screen is clean: no CSP violation, console error or uncaught error so far, and axe passes. */
export async function expectCleanScreen(watched: WatchedPage, screen: string) {
  await expectAccessible(watched.page, screen);
  expect(watched.problems, `problems on ${screen}`).toEqual([]);
}

export async function screenshotOnFailure(page: Page, name: string) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true }).catch(() => {});
}

let counter = 0;
export function uniqueEmail(label: string) {
  counter += 1;
  return `${label}-${process.pid}-${Date.now()}-${counter}@example.com`;
}
export const PASSWORD = "Correct-Horse-9!";

/** Signs up through the UI and waits for the dashboard. */
export async function signUp(page: Page, name: string, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
}

/** Creates a project through the UI and returns its id (from the URL it navigates to). */
export async function createProject(page: Page, name: string): Promise<string> {
  await page.getByRole("link", { name: "Projects", exact: true }).click();
  await page.getByLabel("Project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("heading", { name }).waitFor();
  const id = new URL(page.url()).pathname.split("/").pop();
  if (!id) throw new Error(`No project id in ${page.url()}`);
  return id;
}
