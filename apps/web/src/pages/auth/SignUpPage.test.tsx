import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, expect, test, vi } from "vitest";
import { renderApp } from "../../test/render";
import { fakeTrpcFetch } from "../../test/trpc-fetch";
import { SignUpPage } from "./SignUpPage";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

test("lists every unmet password rule of the shared policy once the field is left", async () => {
  vi.stubGlobal("fetch", fakeTrpcFetch(() => ({ error: { code: "UNAUTHORIZED" } })).fetch);
  renderApp(<SignUpPage />, { path: "/sign-up" });
  const password = screen.getByLabelText(/^password/i);
  fireEvent.change(password, { target: { value: "short" } });
  // Nothing while typing…
  expect(screen.queryByText(/Password must/)).toBeNull();
  fireEvent.blur(password);
  // …then the full checklist, straight from @taskmaster/security/schemas.
  expect(await screen.findByText("Password must be at least 8 characters")).toBeTruthy();
  expect(screen.getByText("Password must contain an uppercase letter")).toBeTruthy();
  expect(screen.getByText("Password must contain a digit")).toBeTruthy();
  expect(screen.getByText("Password must contain a special character")).toBeTruthy();
  expect(password.getAttribute("aria-describedby")).toContain(
    screen.getByText("Password must contain a digit").closest("ul")?.id,
  );
});

test("rejects a display name containing HTML, as the server would", async () => {
  vi.stubGlobal("fetch", fakeTrpcFetch(() => ({ error: { code: "UNAUTHORIZED" } })).fetch);
  renderApp(<SignUpPage />, { path: "/sign-up" });
  const name = screen.getByLabelText(/display name/i);
  fireEvent.change(name, { target: { value: "<b>Ada</b>" } });
  fireEvent.blur(name);
  expect(await screen.findByText("Display name must not contain HTML tags")).toBeTruthy();
});
