import type { InfiniteData } from "@tanstack/react-query";
import { expect, test } from "vitest";
import type { RouterOutputs, Task } from "../../lib/trpc";
import { moveInPages } from "./ProjectPage";

type Page = RouterOutputs["tasks"]["list"];
const task = (id: string) => ({ id, title: id }) as Task;
const data = (...pages: string[][]): InfiniteData<Page, unknown> => ({
  pages: pages.map((ids, i) => ({ items: ids.map(task), nextCursor: i < pages.length - 1 ? `c${i}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i - 1}`)),
});
const ids = (d: InfiniteData<Page, unknown> | undefined) => d?.pages.map((p) => p.items.map((t) => t.id));

test("moves a task within a page", () => {
  expect(ids(moveInPages(data(["a", "b", "c"]), "a", 1))).toEqual([["b", "a", "c"]]);
  expect(ids(moveInPages(data(["a", "b", "c"]), "c", 0))).toEqual([["c", "a", "b"]]);
});

test("moves a task across a page boundary and keeps every page's size and cursor", () => {
  const moved = moveInPages(data(["a", "b"], ["c", "d"]), "b", 2);
  expect(ids(moved)).toEqual([
    ["a", "c"],
    ["b", "d"],
  ]);
  expect(moved?.pages.map((p) => p.nextCursor)).toEqual(["c0", null]);
});

test("leaves the data alone for an unknown task", () => {
  const d = data(["a", "b"]);
  expect(moveInPages(d, "zz", 0)).toBe(d);
  expect(moveInPages(undefined, "a", 0)).toBeUndefined();
});
