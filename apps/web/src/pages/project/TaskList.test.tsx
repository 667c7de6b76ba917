import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, expect, test, vi } from "vitest";
import type { Task } from "../../lib/trpc";
import { fixtureTask, stubListLayout } from "../../test/task-list";
import { ROW_HEIGHT, TaskList } from "./TaskList";

// jsdom does no layout: give the scroll viewport the size it has in a browser.
const VIEWPORT = 720;
stubListLayout(VIEWPORT);
afterEach(cleanup);

function makeTasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => fixtureTask(i, { title: `Task ${i + 1}` }));
}

function renderList(tasks: Task[], extra: Partial<Parameters<typeof TaskList>[0]> = {}) {
  const props = {
    tasks,
    hasNextPage: false,
    isFetchingNextPage: false,
    fetchNextPage: vi.fn(),
    onOpen: vi.fn(),
    onToggleDone: vi.fn(),
    label: "Tasks",
    ...extra,
  };
  render(<TaskList {...props} />);
  return props;
}

test("keeps at most 60 rows in the DOM for 10 000 tasks", () => {
  renderList(makeTasks(10_000));
  const rows = screen.getAllByRole("option");
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.length).toBeLessThanOrEqual(60);
  expect(rows[0]?.textContent).toContain("Task 1");
  expect(screen.queryByText("Task 10000")).toBeNull();
});

test("End jumps to the last task, renders it and makes it the active option", async () => {
  renderList(makeTasks(10_000));
  const list = screen.getByRole("listbox", { name: "Tasks" });
  fireEvent.keyDown(list, { key: "End" });
  // The virtualiser scrolls, then renders the rows around the new offset.
  await act(async () => {
    fireEvent.scroll(list, { target: { scrollTop: 10_000 * ROW_HEIGHT - VIEWPORT } });
    await new Promise((r) => setTimeout(r, 50));
  });
  const last = await screen.findByText("Task 10000");
  const row = last.closest('[role="option"]');
  expect(row?.getAttribute("aria-selected")).toBe("true");
  expect(list.getAttribute("aria-activedescendant")).toBe(row?.id);
  expect(screen.getAllByRole("option").length).toBeLessThanOrEqual(60);
});

test("arrow keys move the active row, Enter opens it, Space toggles it done", () => {
  const props = renderList(makeTasks(5));
  const list = screen.getByRole("listbox");
  fireEvent.keyDown(list, { key: "ArrowDown" });
  fireEvent.keyDown(list, { key: "ArrowDown" });
  fireEvent.keyDown(list, { key: "ArrowUp" });
  fireEvent.keyDown(list, { key: "Enter" });
  expect(props.onOpen).toHaveBeenCalledWith(expect.objectContaining({ title: "Task 2" }));
  fireEvent.keyDown(list, { key: " " });
  expect(props.onToggleDone).toHaveBeenCalledWith(expect.objectContaining({ title: "Task 2" }));
});

test("asks for the next page when the rendered rows come near the end of what is loaded", () => {
  const fetchNextPage = vi.fn();
  renderList(makeTasks(20), { hasNextPage: true, fetchNextPage });
  expect(fetchNextPage).toHaveBeenCalled();
  expect(screen.getByText("Loading more tasks…")).toBeTruthy();
});

test("does not fetch more while the end is far away", () => {
  const fetchNextPage = vi.fn();
  renderList(makeTasks(500), { hasNextPage: true, fetchNextPage });
  expect(fetchNextPage).not.toHaveBeenCalled();
});

test("Alt+ArrowDown / Alt+ArrowUp move the active task and keep it active", () => {
  const onMove = vi.fn();
  const props = renderList(makeTasks(5), { onMove });
  const list = screen.getByRole("listbox");
  fireEvent.keyDown(list, { key: "ArrowDown" });
  fireEvent.keyDown(list, { key: "ArrowDown", altKey: true });
  expect(onMove).toHaveBeenLastCalledWith(expect.objectContaining({ title: "Task 2" }), 2);
  // The active row followed the move: Enter opens the row now at index 2.
  fireEvent.keyDown(list, { key: "Enter" });
  expect(props.onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ title: "Task 3" }));
  fireEvent.keyDown(list, { key: "ArrowUp", altKey: true });
  expect(onMove).toHaveBeenLastCalledWith(expect.objectContaining({ title: "Task 3" }), 1);
});

test("Alt+arrows do nothing at the ends, or when moving is not offered", () => {
  const onMove = vi.fn();
  renderList(makeTasks(3), { onMove });
  const list = screen.getByRole("listbox");
  fireEvent.keyDown(list, { key: "ArrowUp", altKey: true });
  expect(onMove).not.toHaveBeenCalled();
  cleanup();
  const props = renderList(makeTasks(3));
  const readOnlyList = screen.getByRole("listbox");
  fireEvent.keyDown(readOnlyList, { key: "ArrowDown", altKey: true });
  fireEvent.keyDown(readOnlyList, { key: "Enter" });
  // Without onMove, Alt+ArrowDown neither moves anything nor changes the active row.
  expect(props.onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ title: "Task 1" }));
});

function Picking({
  tasks,
  onToggleDone,
  seen,
}: {
  tasks: Task[];
  onToggleDone: (task: Task) => void;
  seen: Set<string>[];
}) {
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  return (
    <TaskList
      tasks={tasks}
      hasNextPage={false}
      isFetchingNextPage={false}
      fetchNextPage={() => {}}
      onOpen={() => {}}
      onToggleDone={onToggleDone}
      label="Tasks"
      selected={picked}
      onSelectedChange={(next) => {
        seen.push(next);
        setPicked(next);
      }}
    />
  );
}

function renderPicking(n: number) {
  const tasks = makeTasks(n);
  const onToggleDone = vi.fn();
  const seen: Set<string>[] = [];
  render(<Picking tasks={tasks} onToggleDone={onToggleDone} seen={seen} />);
  const picked = () => [...(seen.at(-1) ?? [])].sort();
  return { tasks, onToggleDone, picked };
}

test("multi-select: Shift+Space picks the active task, Shift+ArrowDown extends the pick, Space still toggles done", () => {
  const { tasks, onToggleDone, picked } = renderPicking(5);
  const list = screen.getByRole("listbox");
  expect(list.getAttribute("aria-multiselectable")).toBe("true");
  fireEvent.keyDown(list, { key: " ", shiftKey: true });
  expect(picked()).toEqual([tasks[0]?.id]);
  fireEvent.keyDown(list, { key: "ArrowDown", shiftKey: true });
  fireEvent.keyDown(list, { key: "ArrowDown", shiftKey: true });
  expect(picked()).toEqual(tasks.slice(0, 3).map((t) => t.id));
  // Shift+Space on a picked row unpicks it.
  fireEvent.keyDown(list, { key: " ", shiftKey: true });
  expect(picked()).toEqual(tasks.slice(0, 2).map((t) => t.id));
  expect(onToggleDone).not.toHaveBeenCalled();
  fireEvent.keyDown(list, { key: " " });
  expect(onToggleDone).toHaveBeenCalledWith(expect.objectContaining({ title: "Task 3" }));
});

test("multi-select: aria-selected reflects the pick, and Shift+click on a box picks a range", () => {
  const { tasks, picked } = renderPicking(6);
  const boxes = () => document.querySelectorAll<HTMLElement>(".task-check");
  fireEvent.click(boxes()[1] as HTMLElement);
  fireEvent.click(boxes()[4] as HTMLElement, { shiftKey: true });
  expect(picked()).toEqual(tasks.slice(1, 5).map((t) => t.id));
  const selected = screen.getAllByRole("option").filter((o) => o.getAttribute("aria-selected") === "true");
  expect(selected.map((o) => o.querySelector(".task-title")?.textContent)).toEqual([
    "Task 2",
    "Task 3",
    "Task 4",
    "Task 5",
  ]);
  // A plain click on a picked box unpicks just that one.
  fireEvent.click(boxes()[2] as HTMLElement);
  expect(picked()).toEqual([tasks[1], tasks[3], tasks[4]].map((t) => t?.id).sort());
});

test("without onSelectedChange there are no pick boxes and aria-selected marks the active row", () => {
  renderList(makeTasks(3));
  expect(document.querySelectorAll(".task-check")).toHaveLength(0);
  expect(screen.getByRole("listbox").getAttribute("aria-multiselectable")).toBeNull();
  expect(screen.getAllByRole("option")[0]?.getAttribute("aria-selected")).toBe("true");
});
