import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, expect, test, vi } from "vitest";
import { App } from "../App";
import { renderApp } from "../test/render";
import { fakeTrpcFetch } from "../test/trpc-fetch";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const user = { id: "u1", email: "ada@example.com", displayName: "Ada", mfaEnabled: false };
const summary = {
  countsByStatus: { todo: 3, in_progress: 1, done: 7 },
  dueToday: 2,
  overdue: 1,
  completedPerDay: [],
  focusMinutesToday: 50,
  focusMinutesWeek: 125,
};

test("a first visit goes straight to sign-in without asking the server", async () => {
  const api = fakeTrpcFetch(() => ({ error: { code: "UNAUTHORIZED" } }));
  vi.stubGlobal("fetch", api.fetch);
  const view = renderApp(<App />, { path: "/projects" });
  expect(await screen.findByRole("heading", { name: /sign in/i })).toBeTruthy();
  expect(view.location.history?.at(-1)).toBe("/sign-in?next=%2Fprojects");
  expect(api.calls).toHaveLength(0);
});

test("a returning user's dashboard loads while the session is confirmed", async () => {
  localStorage.setItem("taskmaster.hadSession", "1");
  vi.stubGlobal("fetch", fakeTrpcFetch((path) => ({ data: path === "auth.me" ? user : summary })).fetch);
  renderApp(<App />, { path: "/" });
  expect(await screen.findByText("Ada")).toBeTruthy();
  expect((await screen.findByText("Overdue")).nextElementSibling?.textContent).toBe("1");
  expect(screen.getByText("2 h 5 min")).toBeTruthy();
});

test("a revoked session lands on sign-in with the 'session ended' message", async () => {
  localStorage.setItem("taskmaster.hadSession", "1");
  const api = fakeTrpcFetch(() => ({ error: { code: "UNAUTHORIZED", message: "This session was signed out." } }));
  vi.stubGlobal("fetch", api.fetch);
  renderApp(<App />, { path: "/settings" });
  expect(await screen.findByText("Your session ended, please sign in again.")).toBeTruthy();
  // The refresh was tried before giving up.
  expect(api.calls.some((c) => c.path === "auth.refresh")).toBe(true);
  await waitFor(() => expect(localStorage.getItem("taskmaster.hadSession")).toBeNull());
});
