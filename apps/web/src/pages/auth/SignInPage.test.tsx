import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, expect, test, vi } from "vitest";
import { renderApp } from "../../test/render";
import { type Answer, fakeTrpcFetch } from "../../test/trpc-fetch";
import { SignInPage } from "./SignInPage";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

function setup(signIn: (input: unknown) => Answer) {
  const api = fakeTrpcFetch((path, input) =>
    path === "auth.signIn" ? signIn(input) : { error: { code: "UNAUTHORIZED" } },
  );
  vi.stubGlobal("fetch", api.fetch);
  const view = renderApp(<SignInPage />, { path: "/sign-in" });
  const type = (label: RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
  const submit = () => fireEvent.click(screen.getByRole("button", { name: /^(sign in|verify)$/i }));
  return { api, view, type, submit };
}

test("shows the lockout message with the retry time when sign-in is rate limited", async () => {
  const { type, submit } = setup(() => ({ error: { code: "TOO_MANY_REQUESTS", data: { retryAfter: 840 } } }));
  type(/email/i, "ada@example.com");
  type(/password/i, "wrong-password");
  submit();
  expect(await screen.findByRole("alert")).toHaveProperty("textContent", "Too many attempts. Try again in 14 minutes.");
});

test("validates inline with the shared schema before calling the server", async () => {
  const { api, type, submit } = setup(() => ({ data: null }));
  type(/email/i, "not-an-email");
  submit();
  expect(await screen.findByText("Enter a valid email address")).toBeTruthy();
  expect(screen.getByText("Password is required")).toBeTruthy();
  expect(screen.getByLabelText(/email/i).getAttribute("aria-invalid")).toBe("true");
  expect(api.calls.filter((c) => c.path === "auth.signIn")).toHaveLength(0);
});

test("asks for the authenticator code when the server requires MFA, then sends it with the credentials", async () => {
  const signIn = vi.fn((input: unknown): Answer => {
    const totp = (input as { totp?: string }).totp;
    return totp
      ? { data: { status: "ok", user: { id: "u1", email: "ada@example.com", displayName: "Ada", mfaEnabled: true } } }
      : { data: { status: "mfa_required" } };
  });
  const { type, submit, view } = setup(signIn);
  type(/email/i, "ada@example.com");
  type(/password/i, "Correct-horse-1");
  submit();
  const code = await screen.findByLabelText(/authentication code/i);
  fireEvent.change(code, { target: { value: "123456" } });
  submit();
  await waitFor(() => expect(view.location.history?.at(-1)).toBe("/"));
  expect(signIn).toHaveBeenLastCalledWith({ email: "ada@example.com", password: "Correct-horse-1", totp: "123456" });
});

test("shows the server's field errors next to the fields", async () => {
  const { type, submit } = setup(() => ({
    error: { code: "BAD_REQUEST", data: { zodError: { fieldErrors: { email: ["This email is blocked"] } } } },
  }));
  type(/email/i, "ada@example.com");
  type(/password/i, "whatever");
  submit();
  expect(await screen.findByText("This email is blocked")).toBeTruthy();
  expect(screen.getByRole("alert").textContent).toBe("Please correct the highlighted fields.");
});
