import { cleanup, waitFor } from "@testing-library/react";
import { afterEach, expect, test, vi } from "vitest";
import { DashboardPage } from "../pages/dashboard/DashboardPage";
import { FocusPage } from "../pages/focus/FocusPage";
import { renderApp } from "../test/render";
import { fakeTrpcFetch } from "../test/trpc-fetch";
import { userTimeZone } from "./time-zone";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function inTokyo() {
  const original = Intl.DateTimeFormat.prototype.resolvedOptions;
  vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockImplementation(function (this: Intl.DateTimeFormat) {
    return { ...original.call(this), timeZone: "Asia/Tokyo" };
  });
}

test("userTimeZone is the browser's zone", () => {
  inTokyo();
  expect(userTimeZone()).toBe("Asia/Tokyo");
});

test("the dashboard and the focus stats ask the API to count days in the user's time zone", async () => {
  inTokyo();
  // Every call fails: only what the pages ask for matters here.
  const api = fakeTrpcFetch(() => ({ error: { code: "INTERNAL_SERVER_ERROR" } }));
  vi.stubGlobal("fetch", api.fetch);
  renderApp(<DashboardPage />);
  await waitFor(() => expect(api.calls.some((c) => c.path === "dashboard.summary")).toBe(true));
  cleanup();
  renderApp(<FocusPage />);
  await waitFor(() => expect(api.calls.some((c) => c.path === "focus.stats")).toBe(true));
  expect(api.calls.find((c) => c.path === "dashboard.summary")?.input).toEqual({ timeZone: "Asia/Tokyo" });
  expect(api.calls.find((c) => c.path === "focus.stats")?.input).toEqual({ days: 7, timeZone: "Asia/Tokyo" });
});
