import { describe, expect, test } from "vitest";
import { describeError, readApiError, retryAfterMessage, SESSION_ENDED_MESSAGE } from "./errors";

const trpcError = (code: string, data: Record<string, unknown> = {}, message = "server message") =>
  Object.assign(new Error(message), { data: { code, ...data } });

describe("retryAfterMessage", () => {
  test("rounds the wait up to whole minutes so the user never retries too early", () => {
    expect(retryAfterMessage(61)).toBe("Too many attempts. Try again in 2 minutes.");
    expect(retryAfterMessage(900)).toBe("Too many attempts. Try again in 15 minutes.");
  });
  test("says 1 minute (singular) for waits under a minute", () => {
    expect(retryAfterMessage(5)).toBe("Too many attempts. Try again in 1 minute.");
  });
  test("falls back to 'later' when the server gave no wait", () => {
    expect(retryAfterMessage(undefined)).toBe("Too many attempts. Try again later.");
  });
});

describe("describeError", () => {
  test("turns a rate-limited sign-in into the lockout message with the server's retry time", () => {
    expect(describeError(trpcError("TOO_MANY_REQUESTS", { retryAfter: 600 }), "signIn")).toBe(
      "Too many attempts. Try again in 10 minutes.",
    );
  });
  test("treats UNAUTHORIZED as wrong credentials on sign-in but as an ended session elsewhere", () => {
    expect(describeError(trpcError("UNAUTHORIZED"), "signIn")).toMatch(/not correct/);
    expect(describeError(trpcError("UNAUTHORIZED"))).toBe(SESSION_ENDED_MESSAGE);
  });
  test("explains FORBIDDEN as missing edit rights", () => {
    expect(describeError(trpcError("FORBIDDEN"))).toMatch(/permission/);
  });
  test("points at the fields when a BAD_REQUEST carries field errors, else shows the server's message", () => {
    const withFields = trpcError("BAD_REQUEST", { zodError: { fieldErrors: { title: ["Title must not be empty"] } } });
    expect(describeError(withFields)).toBe("Please correct the highlighted fields.");
    expect(describeError(trpcError("BAD_REQUEST", {}, "The current password is not correct."))).toBe(
      "The current password is not correct.",
    );
  });
  test("reports a network failure (no tRPC code) as the server being unreachable", () => {
    expect(describeError(new TypeError("Failed to fetch"))).toMatch(/could not be reached/);
  });
  test("never shows the text of an internal error", () => {
    expect(describeError(trpcError("INTERNAL_SERVER_ERROR", {}, "relation tasks does not exist"))).not.toMatch(
      /relation/,
    );
  });
});

describe("readApiError", () => {
  test("reads zod field errors and keeps only string messages", () => {
    const err = trpcError("BAD_REQUEST", {
      zodError: { formErrors: [], fieldErrors: { email: ["Enter a valid email address"], tags: [42, "Tag too long"] } },
    });
    expect(readApiError(err).fieldErrors).toEqual({
      email: ["Enter a valid email address"],
      tags: ["Tag too long"],
    });
  });
  test("ignores a retryAfter that is not a number", () => {
    expect(readApiError(trpcError("TOO_MANY_REQUESTS", { retryAfter: "soon" })).retryAfter).toBeUndefined();
  });
});

test("does not show a raw zod issue list as the message", () => {
  const err = Object.assign(new Error('[ { "code": "unrecognized_keys", "keys": ["direction"] } ]'), {
    data: { code: "BAD_REQUEST", zodError: { formErrors: [], fieldErrors: {} } },
  });
  expect(describeError(err)).toBe("The server rejected the request as invalid.");
});
