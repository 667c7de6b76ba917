import { afterAll, beforeAll, expect, test } from "vitest";
import {
  createProject,
  expectCleanScreen,
  openPage,
  type Stack,
  screenshotOnFailure,
  signUp,
  startStack,
  uniqueEmail,
  type WatchedPage,
} from "./support";

let stack: Stack;
let w: WatchedPage;

beforeAll(async () => {
  stack = await startStack();
  w = await openPage(stack);
});
afterAll(async () => {
  await stack?.stop();
});

// One user's day, in order: each test starts where the previous one left the page.

test("signing up lands on an empty dashboard", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-dashboard"));
  await w.page.goto("/");
  await w.page.getByRole("heading", { name: "Sign in to TaskMaster Pro" }).waitFor();
  await expectCleanScreen(w, "sign-in");
  await w.page.getByRole("link", { name: "Create an account" }).click();
  await w.page.getByRole("button", { name: "Create account" }).click();
  // Inline validation from the shared schemas, before any request.
  await w.page.getByText("Password must be at least 8 characters").waitFor();
  await expectCleanScreen(w, "sign-up with errors");
  await signUp(w.page, "Ada Lovelace", uniqueEmail("ada"));
  await expect.poll(() => w.page.locator(".stat", { hasText: "To do" }).locator("dd").textContent()).toBe("0");
  await w.page.getByText(/tasks completed in the last 14 days/).waitFor();
  await expectCleanScreen(w, "dashboard");
});

test("creates a project and adds, edits and completes tasks", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-project"));
  const { page } = w;
  await createProject(page, "Launch");
  await expectCleanScreen(w, "project view (empty)");

  await page.getByRole("button", { name: "New task" }).click();
  const dialog = page.getByRole("dialog", { name: "New task" });
  await dialog.getByRole("button", { name: "Add task" }).click();
  await dialog.getByText("Title must not be empty").waitFor();
  await expectCleanScreen(w, "task editor with errors");
  await dialog.getByLabel("Title").fill("Write release notes");
  await dialog.getByLabel("Tags").fill("docs, launch");
  await dialog.getByLabel("Priority").selectOption("high");
  await dialog.getByRole("button", { name: "Add task" }).click();
  await dialog.waitFor({ state: "detached" });

  for (const title of ["Book the venue", "Buy milk"]) {
    await page.getByRole("button", { name: "New task" }).click();
    await page.getByRole("dialog").getByLabel("Title").fill(title);
    await page.getByRole("dialog").getByRole("button", { name: "Add task" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
  }
  const list = page.getByRole("listbox", { name: "Tasks in Launch" });
  await expect.poll(() => list.getByRole("option").count()).toBe(3);

  // Edit: rename through the editor.
  await list.getByRole("option", { name: /Book the venue/ }).click();
  const editor = page.getByRole("dialog", { name: "Edit task" });
  await editor.getByLabel("Title").fill("Book the venue for June");
  await editor.getByRole("button", { name: "Save changes" }).click();
  await editor.waitFor({ state: "detached" });
  await list.getByRole("option", { name: /Book the venue for June/ }).waitFor();

  // Complete with the keyboard: focus the list, move to the task, Space.
  await list.focus();
  await page.keyboard.press("Home");
  await page.keyboard.press(" ");
  await list.getByRole("option", { name: /Done.*Write release notes/ }).waitFor();
  await expectCleanScreen(w, "project view");
});

test("filters and search narrow the list and live in the URL", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-filters"));
  const { page } = w;
  const list = page.getByRole("listbox", { name: "Tasks in Launch" });
  await page.getByRole("checkbox", { name: "Done" }).check();
  await expect.poll(() => new URL(page.url()).searchParams.get("status")).toBe("done");
  await expect
    .poll(() => list.getByRole("option").allTextContents())
    .toEqual([expect.stringContaining("Write release notes")]);
  await page.getByRole("checkbox", { name: "Done" }).uncheck();

  await page.getByLabel("Search").fill("milk");
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("milk");
  await expect.poll(() => list.getByRole("option").allTextContents()).toEqual([expect.stringContaining("Buy milk")]);

  // The filtered URL is shareable: a reload shows the same view.
  await page.reload();
  await expect.poll(() => page.getByLabel("Search").inputValue()).toBe("milk");
  await expect.poll(() => page.getByRole("listbox", { name: "Tasks in Launch" }).getByRole("option").count()).toBe(1);
  await expectCleanScreen(w, "project view filtered");
});

test("the calendar shows a task on its due date, in the browser's time zone", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-calendar"));
  const { page } = w;
  // Today as the browser sees it: the calendar's day boundaries are the user's, not the server's.
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  });
  const list = page.getByRole("listbox", { name: "Tasks in Launch" });
  await list.getByRole("option", { name: /Buy milk/ }).click();
  const editor = page.getByRole("dialog", { name: "Edit task" });
  await editor.getByLabel("Due date").fill(today);
  await editor.getByRole("button", { name: "Save changes" }).click();
  await editor.waitFor({ state: "detached" });

  await page.getByRole("link", { name: "Calendar", exact: true }).click();
  await page.getByRole("heading", { name: "Calendar", level: 1 }).waitFor();
  const monthName = await page.evaluate(() =>
    new Date().toLocaleDateString(undefined, { month: "long", year: "numeric" }),
  );
  const grid = page.getByRole("table", { name: monthName });
  const todayCell = grid.locator(`td[data-date="${today}"]`);
  expect(await todayCell.getAttribute("aria-current")).toBe("date");
  const task = todayCell.getByRole("link", { name: "Buy milk (Launch)" });
  await task.waitFor();
  await expectCleanScreen(w, "calendar");

  // Away and back: next month has no such cell highlighted; Today returns.
  await page.getByRole("button", { name: "Next month" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("month")).not.toBeNull();
  await page.getByRole("button", { name: "Today" }).click();
  await task.waitFor();
  expect(new URL(page.url()).search).toBe("");

  // The task links to its project.
  await task.click();
  await page.getByRole("listbox", { name: "Tasks in Launch" }).waitFor();
});

test("writes and edits a note", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-notes"));
  const { page } = w;
  await page.getByRole("link", { name: "Notes", exact: true }).click();
  await page.getByText("No notes yet.").waitFor();
  await expectCleanScreen(w, "notes list");
  await page.getByRole("link", { name: "New note" }).click();
  await page.getByLabel("Title").fill("Retro ideas");
  await page.getByLabel("Project (optional)").selectOption({ label: "Launch" });
  await page.getByLabel("Note").fill("Start earlier.\nFewer meetings.");
  await page.getByRole("button", { name: "Save note" }).click();
  await page.getByRole("heading", { name: "Edit note" }).waitFor();
  await page.getByLabel("Note").fill("Start earlier.\nFewer meetings.\nShip smaller.");
  await page.getByRole("button", { name: "Save note" }).click();
  await page.getByText(/^Saved /).waitFor();
  await expectCleanScreen(w, "note editor");
  await page.getByRole("link", { name: "← All notes" }).click();
  await page.getByRole("link", { name: "Retro ideas" }).click();
  await expect.poll(() => page.getByLabel("Note").inputValue()).toContain("Ship smaller.");
});

test("starts a focus session, shows the time left and stops it", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-focus"));
  const { page } = w;
  await page.getByRole("link", { name: "Focus", exact: true }).click();
  await page.getByLabel("Minutes").fill("15");
  await page.getByRole("button", { name: "Start focus session" }).click();
  const countdown = page.locator(".countdown");
  await countdown.waitFor();
  expect(await countdown.textContent()).toMatch(/^1[45]:\d\d$/);
  await expectCleanScreen(w, "focus running");
  await page.getByRole("button", { name: "Complete session" }).click();
  await page.getByRole("button", { name: "Start focus session" }).waitFor();
  await page.getByRole("cell", { name: "Completed" }).waitFor();
  await expect
    .poll(() => page.locator(".stat", { hasText: "Completed sessions" }).locator("dd").textContent())
    .toBe("1");
  // The per-day chart (a lazy chunk) with its text alternative: one bar and one table row per day.
  const chart = page.getByRole("img", { name: /focused in the last 7 days/ });
  await chart.waitFor();
  expect(await chart.locator("rect").count()).toBe(7);
  expect(await page.getByRole("table", { name: "Minutes focused per day" }).locator("tbody tr").count()).toBe(7);
  await expectCleanScreen(w, "focus stopped");
});

test("settings list this device's session", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-settings"));
  const { page } = w;
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByText("This device").waitFor();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await page.getByText("Setup key").waitFor();
  expect(await page.locator(".secret a").getAttribute("href")).toMatch(/^otpauth:\/\/totp\//);
  // The QR code (a lazy chunk) is drawn as inline SVG, so it loads under the CSP without violations.
  const qr = page.getByRole("img", { name: "QR code for your authenticator app" });
  await qr.waitFor();
  const box = await qr.boundingBox();
  expect(box && box.width >= 100 && box.width === box.height).toBe(true);
  expect(await qr.locator("rect").count()).toBeGreaterThan(100);
  await expectCleanScreen(w, "settings");
});

test("signing out returns to sign-in and protected pages stay closed", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "journey-signout"));
  const { page } = w;
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("heading", { name: "Sign in to TaskMaster Pro" }).waitFor();
  await page.goto("/projects");
  await page.getByRole("heading", { name: "Sign in to TaskMaster Pro" }).waitFor();
  expect(new URL(page.url()).searchParams.get("next")).toBe("/projects");
  await expectCleanScreen(w, "signed out");
});
