import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { renderApp } from "../../test/render";
import { fixtureTask, fixtureTaskId, stubListLayout } from "../../test/task-list";
import { type Answer, fakeTrpcFetch } from "../../test/trpc-fetch";
import { ProjectPage } from "./ProjectPage";

stubListLayout();
beforeAll(() => {
  // jsdom has <dialog> without the modal API.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const PROJECT_ID = "10000000-0000-4000-8000-000000000000";
const taskId = fixtureTaskId;
const task = (i: number) => fixtureTask(i, { projectId: PROJECT_ID });

function setup(
  role: "owner" | "editor" | "viewer",
  extra: (path: string, input: unknown) => Answer | null = () => null,
) {
  const api = fakeTrpcFetch((path, input) => {
    const answer = extra(path, input);
    if (answer) return answer;
    if (path === "projects.get")
      return {
        data: {
          id: PROJECT_ID,
          name: "Engine",
          color: "#2563eb",
          archived: false,
          ownerId: "u",
          role,
          createdAt: "2026-01-01T00:00:00.000Z",
          updatedAt: "2026-01-01T00:00:00.000Z",
          taskCounts: { todo: 3, in_progress: 0, done: 0 },
        },
      };
    if (path === "tasks.list") return { data: { items: [1, 2, 3].map(task), nextCursor: null } };
    if (path === "auth.me")
      return { data: { id: "u", email: "ada@example.com", displayName: "Ada", mfaEnabled: false } };
    return { error: { code: "NOT_FOUND" } };
  });
  vi.stubGlobal("fetch", api.fetch);
  // Signed in: otherwise the auth provider clears the query cache.
  localStorage.setItem("taskmaster.hadSession", "1");
  renderApp(<ProjectPage projectId={PROJECT_ID} />, { path: `/projects/${PROJECT_ID}` });
  return api;
}

test("pages tasks.list through infiniteQueryOptions: the input carries tRPC's direction", async () => {
  const api = setup("owner");
  await screen.findByText("Task 1");
  const list = api.calls.find((c) => c.path === "tasks.list");
  expect(list?.input).toMatchObject({ projectId: PROJECT_ID, sort: "position", limit: 100, direction: "forward" });
});

test("bulk status: picks tasks, sends their ids, shows how many were updated", async () => {
  const bulk = vi.fn((): Answer => ({ data: { updated: 2 } }));
  const api = setup("editor", (path) => (path === "tasks.bulkStatus" ? bulk() : null));
  const list = await screen.findByRole("listbox", { name: "Tasks in Engine" });
  await screen.findByText("Task 1");
  fireEvent.keyDown(list, { key: " ", shiftKey: true });
  fireEvent.keyDown(list, { key: "ArrowDown", shiftKey: true });
  expect(screen.getByText("2 tasks selected")).toBeTruthy();
  fireEvent.change(screen.getByLabelText("New status"), { target: { value: "in_progress" } });
  fireEvent.click(screen.getByRole("button", { name: "Set status" }));
  await waitFor(() => expect(screen.getByText("Updated 2 of 2 tasks to “In progress”.")).toBeTruthy());
  expect(api.calls.find((c) => c.path === "tasks.bulkStatus")?.input).toEqual({
    ids: [taskId(1), taskId(2)],
    status: "in_progress",
  });
  expect(screen.getByText("0 tasks selected")).toBeTruthy();
});

test("bulk status: nothing is sent while no task is selected", async () => {
  const api = setup("owner");
  await screen.findByText("Task 1");
  const button = screen.getByRole("button", { name: "Set status" });
  expect(button.getAttribute("aria-disabled")).toBe("true");
  fireEvent.click(button);
  expect(api.calls.some((c) => c.path === "tasks.bulkStatus")).toBe(false);
});

test("viewers get neither bulk status nor pick boxes nor reorder hints", async () => {
  setup("viewer");
  await screen.findByText("View only");
  await screen.findByText("Task 1");
  expect(screen.queryByRole("button", { name: "Set status" })).toBeNull();
  expect(screen.queryByLabelText("New status")).toBeNull();
  expect(document.querySelectorAll(".task-check")).toHaveLength(0);
  expect(screen.queryByText(/Alt\+Up/)).toBeNull();
});

test("moving with Alt+ArrowDown sends afterId = the task it now follows, and announces it", async () => {
  const api = setup("owner", (path, input) =>
    path === "tasks.move" ? { data: { ...task(1), position: 2.5, id: (input as { id: string }).id } } : null,
  );
  const list = await screen.findByRole("listbox", { name: "Tasks in Engine" });
  await screen.findByText("Task 1");
  fireEvent.keyDown(list, { key: "ArrowDown", altKey: true });
  await waitFor(() =>
    expect(api.calls.find((c) => c.path === "tasks.move")?.input).toEqual({ id: taskId(1), afterId: taskId(2) }),
  );
  expect(screen.getByText("Moved “Task 1” to position 2 of 3.")).toBeTruthy();
  const titles = [...document.querySelectorAll(".task-title")].map((e) => e.textContent);
  expect(titles).toEqual(["Task 2", "Task 1", "Task 3"]);
});

test("owners rename and recolour the project; the shared schema checks the name first", async () => {
  const update = vi.fn((input: unknown): Answer => {
    const { name, color } = input as { name: string; color: string };
    return {
      data: {
        id: PROJECT_ID,
        name,
        color,
        archived: false,
        ownerId: "u",
        role: "owner",
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-02T00:00:00.000Z",
        taskCounts: { todo: 3, in_progress: 0, done: 0 },
      },
    };
  });
  setup("owner", (path, input) => (path === "projects.update" ? update(input) : null));
  fireEvent.click(await screen.findByRole("button", { name: "Edit project" }));
  const dialog = await screen.findByRole("dialog", { name: "Edit “Engine”" });
  const name = screen.getByLabelText("Project name");
  fireEvent.change(name, { target: { value: "   " } });
  fireEvent.click(screen.getByRole("button", { name: "Save project" }));
  await waitFor(() => expect(name.getAttribute("aria-invalid")).toBe("true"));
  expect(update).not.toHaveBeenCalled();

  fireEvent.change(name, { target: { value: "Analytical Engine" } });
  fireEvent.change(screen.getByLabelText("Colour"), { target: { value: "#16a34a" } });
  fireEvent.click(screen.getByRole("button", { name: "Save project" }));
  await screen.findByRole("heading", { level: 1, name: /Analytical Engine/ });
  expect(update).toHaveBeenCalledWith({ id: PROJECT_ID, name: "Analytical Engine", color: "#16a34a" });
  expect(dialog.isConnected).toBe(false);
});

test("editors and viewers are not offered the project editor", async () => {
  setup("editor");
  await screen.findByRole("button", { name: "Members" });
  expect(screen.queryByRole("button", { name: "Edit project" })).toBeNull();
  cleanup();
  setup("viewer");
  await screen.findByText("View only");
  expect(screen.queryByRole("button", { name: "Edit project" })).toBeNull();
});
