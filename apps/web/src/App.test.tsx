import { render, screen } from "@testing-library/react";
import { afterEach, expect, test, vi } from "vitest";
import { App } from "./App";

afterEach(() => vi.unstubAllGlobals());

test("shows the API version once the health check answers", async () => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify({ version: "9.9.9" }), { status: 200 })),
  );
  render(<App />);
  expect(await screen.findByText("API is up (version 9.9.9).")).toBeTruthy();
});

test("says the API is unreachable when the health check fails", async () => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response("", { status: 502 })),
  );
  render(<App />);
  expect(await screen.findByText("API is unreachable: HTTP 502")).toBeTruthy();
});
