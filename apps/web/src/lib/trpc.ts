import type { AppRouter } from "@taskmaster/api";
import { createTRPCClient, httpBatchLink, httpLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { sessionRefreshLink } from "./session-link";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type User = RouterOutputs["auth"]["me"];
export type Project = RouterOutputs["projects"]["get"];
export type Task = RouterOutputs["tasks"]["get"];
export type Member = RouterOutputs["projects"]["members"]["list"][number];
export type NoteSummary = RouterOutputs["notes"]["list"]["items"][number];
export type FocusSession = RouterOutputs["focus"]["start"];

const TRPC_URL = "/trpc";

// The server rejects cookie-authenticated mutations without this header: a
// cross-site HTML form cannot set it, so it defends against CSRF.
const clientHeaders = () => ({ "X-TaskMaster-Client": "web" });

// Auth lives in httpOnly cookies, so every request must carry them.
const withCredentials: typeof fetch = (input, init) => fetch(input, { ...init, credentials: "include" });

/** Used only to refresh the session, outside the main link chain so a refresh can't recurse into itself. */
const refreshClient = createTRPCClient<AppRouter>({
  links: [httpLink({ url: TRPC_URL, headers: clientHeaders, fetch: withCredentials })],
});

export function createApiClient(onSessionEnded: () => void) {
  return createTRPCClient<AppRouter>({
    links: [
      sessionRefreshLink<AppRouter>({
        refresh: () => refreshClient.auth.refresh.mutate(),
        onSessionEnded,
      }),
      httpBatchLink({ url: TRPC_URL, headers: clientHeaders, fetch: withCredentials, maxURLLength: 2000 }),
    ],
  });
}
