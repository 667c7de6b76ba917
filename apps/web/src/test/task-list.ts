import { afterAll, beforeAll } from "vitest";
import type { Task } from "../lib/trpc";
import { ROW_HEIGHT } from "../pages/project/TaskList";

/**
 * jsdom does no layout: gives every element the sizes the virtualised task list
 * sees in a browser (a viewport of `viewport` px, rows of ROW_HEIGHT) for this
 * file's tests, and puts the real descriptors back after them.
 */
export function stubListLayout(viewport = 720): void {
  const sizes = Object.getOwnPropertyDescriptors(HTMLElement.prototype);
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => viewport });
    Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
    Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => ROW_HEIGHT });
  });
  afterAll(() => {
    for (const key of ["clientHeight", "clientWidth", "offsetHeight"] as const) {
      const original = sizes[key];
      if (original) Object.defineProperty(HTMLElement.prototype, key, original);
    }
  });
}

/** The id of fixture task `i`: a valid UUID that sorts by `i`. */
export const fixtureTaskId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** A task as tasks.list returns it: id and position from `i`, title "Task {i}", the rest plain. */
export function fixtureTask(i: number, overrides: Partial<Task> = {}): Task {
  return {
    id: fixtureTaskId(i),
    projectId: "p",
    creatorId: "u",
    title: `Task ${i}`,
    description: "",
    status: "todo",
    priority: "medium",
    tags: [],
    dueDate: null,
    position: i,
    completedAt: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}
