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
let owner: WatchedPage;
let viewer: WatchedPage;
const viewerEmail = uniqueEmail("grace");

beforeAll(async () => {
  stack = await startStack();
  // Two browser contexts: two users with separate cookie jars.
  owner = await openPage(stack);
  viewer = await openPage(stack);
});
afterAll(async () => {
  await stack?.stop();
});

test("the owner shares a project with a viewer", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(owner.page, "sharing-owner"));
  await signUp(viewer.page, "Grace Hopper", viewerEmail);
  await signUp(owner.page, "Ada Lovelace", uniqueEmail("ada"));
  const { page } = owner;
  await createProject(page, "Compiler");
  await page.getByRole("button", { name: "New task" }).click();
  await page.getByRole("dialog").getByLabel("Title").fill("Write the first compiler");
  await page.getByRole("dialog").getByRole("button", { name: "Add task" }).click();
  await page.getByRole("dialog").waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: "Share “Compiler”" });
  await dialog.getByLabel("Email of the person to add").fill(viewerEmail);
  await dialog.getByLabel("Access").selectOption("viewer");
  await dialog.getByRole("button", { name: "Share" }).click();
  await dialog.getByRole("listitem").filter({ hasText: "Grace Hopper" }).waitFor();
  await expectCleanScreen(owner, "sharing dialog");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  // Focus returns to the button that opened the dialog.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Share");
});

test("the viewer sees the shared project read-only", async ({ onTestFailed }) => {
  onTestFailed(() => screenshotOnFailure(viewer.page, "sharing-viewer"));
  const { page } = viewer;
  await page.getByRole("link", { name: "Projects", exact: true }).click();
  await page.getByText("shared with you (viewer)").waitFor();
  await page.getByRole("link", { name: "Compiler" }).click();
  await page.getByText("View only").waitFor();
  expect(await page.getByRole("button", { name: "New task" }).count()).toBe(0);

  const list = page.getByRole("listbox", { name: "Tasks in Compiler" });
  await list.getByRole("option", { name: /Write the first compiler/ }).click();
  const details = page.getByRole("dialog", { name: "Task details" });
  await details.getByText("You have view-only access to this project.").waitFor();
  expect(await details.getByLabel("Title").isDisabled()).toBe(true);
  expect(await details.getByRole("button", { name: /save|delete/i }).count()).toBe(0);
  await expectCleanScreen(viewer, "task details (viewer)");
  await details.getByRole("button", { name: "Close", exact: true }).click();

  // Space (toggle done) is not offered to a viewer: the task stays open.
  await list.focus();
  await page.keyboard.press(" ");
  await list.getByRole("option", { name: /To do.*Write the first compiler/ }).waitFor();

  await page.getByRole("button", { name: "Members" }).click();
  const members = page.getByRole("dialog", { name: "Members of “Compiler”" });
  await members.getByRole("listitem").filter({ hasText: "Ada Lovelace" }).waitFor();
  expect(await members.getByRole("button", { name: /remove/i }).count()).toBe(0);
  expect(await members.getByLabel("Email of the person to add").count()).toBe(0);
  await expectCleanScreen(viewer, "members (viewer)");
});
