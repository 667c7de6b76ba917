import { afterEach, expect, test, vi } from "vitest";
import { fakeTrpcFetch } from "../test/trpc-fetch";
import { createApiClient } from "./trpc";

afterEach(() => vi.unstubAllGlobals());

const unauthorized = { error: { code: "UNAUTHORIZED" } } as const;

test("an expired access token is refreshed once and the calls that failed are retried", async () => {
  let refreshed = false;
  const api = fakeTrpcFetch((path) => {
    if (path === "auth.refresh") {
      refreshed = true;
      return { data: { user: { id: "u1" } } };
    }
    return refreshed ? { data: path === "projects.list" ? [] : null } : unauthorized;
  });
  vi.stubGlobal("fetch", api.fetch);
  const ended = vi.fn();
  const client = createApiClient(ended);

  const [projects, current] = await Promise.all([client.projects.list.query({}), client.focus.current.query()]);

  expect(projects).toEqual([]);
  expect(current).toBeNull();
  // Two calls failed together, but the rotating refresh token must be spent only once.
  expect(api.calls.filter((c) => c.path === "auth.refresh")).toHaveLength(1);
  expect(ended).not.toHaveBeenCalled();
});

test("a revoked session ends: the call rejects and the app is told to show sign-in", async () => {
  const api = fakeTrpcFetch((path) =>
    path === "auth.refresh"
      ? { error: { code: "UNAUTHORIZED", message: "This session was signed out." } }
      : unauthorized,
  );
  vi.stubGlobal("fetch", api.fetch);
  const ended = vi.fn();
  const client = createApiClient(ended);

  await expect(client.projects.list.query({})).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  expect(ended).toHaveBeenCalledTimes(1);
  expect(api.calls.filter((c) => c.path === "projects.list")).toHaveLength(2);
});

test("wrong credentials on sign-in are not treated as an expired session", async () => {
  const api = fakeTrpcFetch(() => unauthorized);
  vi.stubGlobal("fetch", api.fetch);
  const ended = vi.fn();
  const client = createApiClient(ended);

  await expect(client.auth.signIn.mutate({ email: "a@example.com", password: "x" })).rejects.toBeTruthy();
  expect(api.calls.map((c) => c.path)).toEqual(["auth.signIn"]);
  expect(ended).not.toHaveBeenCalled();
});

test("every request carries the CSRF header and the cookies", async () => {
  const api = fakeTrpcFetch(() => ({ data: [] }));
  vi.stubGlobal("fetch", api.fetch);
  await createApiClient(() => {}).projects.list.query({});
  expect(api.calls[0]?.headers.get("X-TaskMaster-Client")).toBe("web");
  expect(api.calls[0]?.credentials).toBe("include");
});
