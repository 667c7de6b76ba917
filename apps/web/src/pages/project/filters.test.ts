import { expect, test } from "vitest";
import { EMPTY_FILTERS, parseFilters, serializeFilters, toListInput } from "./filters";

test("filters survive a round trip through the URL", () => {
  const filters = {
    search: "release notes",
    status: ["todo" as const, "done" as const],
    priority: ["high" as const],
    tag: "ops",
    dueFrom: "2026-01-01",
    dueTo: "2026-01-31",
    sort: "due" as const,
  };
  expect(parseFilters(serializeFilters(filters))).toEqual(filters);
});

test("default filters give a plain URL", () => {
  expect(serializeFilters(EMPTY_FILTERS)).toBe("");
});

test("malformed values in a hand-edited URL are dropped, not sent to the server", () => {
  const f = parseFilters("status=todo,bogus&priority=urgent&dueFrom=tomorrow&sort=random");
  expect(f.status).toEqual(["todo"]);
  expect(f.priority).toEqual([]);
  expect(f.dueFrom).toBe("");
  expect(f.sort).toBe("position");
});

test("the list input only carries the constraints that are set", () => {
  expect(toListInput("p1", { ...EMPTY_FILTERS, search: "  bug ", status: ["in_progress"] }, 100)).toEqual({
    projectId: "p1",
    limit: 100,
    sort: "position",
    search: "bug",
    status: ["in_progress"],
  });
});
