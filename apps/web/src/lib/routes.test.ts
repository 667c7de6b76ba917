import { expect, test } from "vitest";
import { routePattern } from "./routes";

test("maps concrete paths to their route pattern so vitals never carry ids", () => {
  expect(routePattern("/")).toBe("/");
  expect(routePattern("/projects")).toBe("/projects");
  expect(routePattern("/projects/3f1c2b8e-0000-4000-8000-000000000001")).toBe("/projects/:projectId");
  expect(routePattern("/notes/abc/")).toBe("/notes/:noteId");
  expect(routePattern("/settings")).toBe("/settings");
  expect(routePattern("/calendar")).toBe("/calendar");
  expect(routePattern("/calendar/")).toBe("/calendar");
});

test("labels unknown paths as unknown instead of echoing them", () => {
  expect(routePattern("/projects/1/secret")).toBe("(unknown)");
});
