import postgres from "postgres";
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

const TASKS = 10_000;
let stack: Stack;
let w: WatchedPage;
let projectId: string;

beforeAll(async () => {
  stack = await startStack();
  w = await openPage(stack);
  await signUp(w.page, "Bulk Owner", uniqueEmail("bulk"));
  projectId = await createProject(w.page, "Ten thousand");
  // Seeded through the admin URL in one statement: creating 10 000 tasks through the API would test the API, not the list.
  const sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`
      insert into tasks (project_id, creator_id, title, position)
      select p.id, p.owner_id, 'Seeded task ' || lpad(g::text, 5, '0'), g
      from projects p, generate_series(1, ${TASKS}) g
      where p.id = ${projectId}`;
  } finally {
    await sql.end();
  }
});
afterAll(async () => {
  await stack?.stop();
});

test("with 10 000 tasks the DOM holds at most 60 rows, and scrolling to the end shows the last task", async ({
  onTestFailed,
}) => {
  onTestFailed(() => screenshotOnFailure(w.page, "large-list"));
  const { page } = w;
  await page.goto(`/projects/${projectId}`);
  const list = page.getByRole("listbox", { name: "Tasks in Ten thousand" });
  await list.getByRole("option", { name: /Seeded task 00001/ }).waitFor();
  expect(await list.getByRole("option").count()).toBeLessThanOrEqual(60);
  await expectCleanScreen(w, "project with 10 000 tasks");

  // Scroll to the bottom until every page has loaded and the last task shows.
  const last = list.getByRole("option", { name: /Seeded task 10000/ });
  for (let i = 0; i < 400 && !(await last.isVisible()); i++) {
    await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForTimeout(50);
    expect(await list.getByRole("option").count()).toBeLessThanOrEqual(60);
  }
  await last.waitFor({ state: "visible", timeout: 1000 });
  expect(await list.getByRole("option").count()).toBeLessThanOrEqual(60);
  expect(await page.getByText(`${TASKS} tasks`, { exact: true }).count()).toBe(1);

  // Keyboard: Home goes back to the first task.
  await list.focus();
  await page.keyboard.press("Home");
  await list.getByRole("option", { name: /Seeded task 00001/ }).waitFor();
  expect(await list.getByRole("option").count()).toBeLessThanOrEqual(60);
  expect(w.problems).toEqual([]);
});
