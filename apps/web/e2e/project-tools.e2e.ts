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

const titles = () =>
  w.page
    .getByRole("listbox", { name: /^Tasks in / })
    .locator(".task-title")
    .allTextContents();

test("reorders tasks with Alt+arrows and the editor's buttons, and the order survives a reload", async ({
  onTestFailed,
}) => {
  onTestFailed(() => screenshotOnFailure(w.page, "tools-reorder"));
  const { page } = w;
  await signUp(page, "Ada Lovelace", uniqueEmail("ada"));
  await createProject(page, "Engine");
  for (const title of ["Alpha", "Bravo", "Charlie"]) {
    await page.getByRole("button", { name: "New task" }).click();
    await page.getByRole("dialog").getByLabel("Title").fill(title);
    await page.getByRole("dialog").getByRole("button", { name: "Add task" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
  }
  await expect.poll(titles).toEqual(["Alpha", "Bravo", "Charlie"]);

  const list = page.getByRole("listbox", { name: "Tasks in Engine" });
  await list.focus();
  await page.keyboard.press("Home");
  const moved = page.waitForResponse((r) => r.url().includes("tasks.move"));
  await page.keyboard.press("Alt+ArrowDown");
  await moved;
  await expect.poll(titles).toEqual(["Bravo", "Alpha", "Charlie"]);
  await page.getByText("Moved “Alpha” to position 2 of 3.").waitFor();
  await expectCleanScreen(w, "project view after a move");

  await list.getByRole("option", { name: /Charlie/ }).click();
  const editor = page.getByRole("dialog", { name: "Edit task" });
  const movedUp = page.waitForResponse((r) => r.url().includes("tasks.move"));
  await editor.getByRole("button", { name: "Move up" }).click();
  await movedUp;
  await expect.poll(titles).toEqual(["Bravo", "Charlie", "Alpha"]);
  await expectCleanScreen(w, "task editor with move buttons");
  await editor.getByRole("button", { name: "Cancel" }).click();

  await page.reload();
  await expect.poll(titles).toEqual(["Bravo", "Charlie", "Alpha"]);
});

test("bulk status sets the status of the selected tasks and says how many changed", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "tools-bulk"));
  const { page } = w;
  const list = page.getByRole("listbox", { name: "Tasks in Engine" });
  await list.focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("Shift+Space");
  await page.keyboard.press("Shift+ArrowDown");
  await page.getByText("2 tasks selected").waitFor();
  await expect
    .poll(() => list.getByRole("option", { selected: true }).locator(".task-title").allTextContents())
    .toEqual(["Bravo", "Charlie"]);
  await expectCleanScreen(w, "project view with a selection");
  await page.getByLabel("New status").selectOption("done");
  await page.getByRole("button", { name: "Set status" }).click();
  await page.getByText("Updated 2 of 2 tasks to “Done”.").waitFor();
  await list.getByRole("option", { name: /Done.*Bravo/ }).waitFor();
  await list.getByRole("option", { name: /Done.*Charlie/ }).waitFor();
  await list.getByRole("option", { name: /To do.*Alpha/ }).waitFor();
  await page.reload();
  await page
    .getByRole("listbox", { name: "Tasks in Engine" })
    .getByRole("option", { name: /Done.*Charlie/ })
    .waitFor();
  expect(
    await page.getByRole("listbox", { name: "Tasks in Engine" }).getByRole("option", { name: /Done/ }).count(),
  ).toBe(2);
});

test("the owner renames and recolours the project and the new name shows everywhere", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(w.page, "tools-rename"));
  const { page } = w;
  await page.getByRole("button", { name: "Edit project" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit “Engine”" });
  await dialog.getByLabel("Project name").fill("");
  await dialog.getByRole("button", { name: "Save project" }).click();
  await dialog
    .getByText(/Project name/)
    .first()
    .waitFor();
  expect(await dialog.getByLabel("Project name").getAttribute("aria-invalid")).toBe("true");
  await expectCleanScreen(w, "project editor with errors");
  await dialog.getByLabel("Project name").fill("Analytical Engine");
  await dialog.getByLabel("Colour").fill("#16a34a");
  await dialog.getByRole("button", { name: "Save project" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByRole("heading", { level: 1, name: "Analytical Engine" }).waitFor();
  await page.getByRole("listbox", { name: "Tasks in Analytical Engine" }).waitFor();
  await expect.poll(() => page.title()).toContain("Analytical Engine");

  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Analytical Engine" }).waitFor();
  await page.getByRole("link", { name: "Projects", exact: true }).click();
  await page.getByRole("link", { name: "Analytical Engine" }).waitFor();
  expect(await page.getByRole("link", { name: "Engine", exact: true }).count()).toBe(0);
  await expectCleanScreen(w, "projects after a rename");
});
