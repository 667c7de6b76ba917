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
