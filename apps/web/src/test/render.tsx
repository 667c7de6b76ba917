import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { AuthProvider, createSessionEvents } from "../lib/auth";
import { createQueryClient } from "../lib/query-client";
import { createApiClient, TRPCProvider } from "../lib/trpc";

/** Renders UI with the app's real providers (query client, tRPC client and its links, auth) at a given URL. */
export function renderApp(ui: ReactNode, { path = "/" }: { path?: string } = {}) {
  const events = createSessionEvents();
  const queryClient = createQueryClient();
  const trpcClient = createApiClient(events.emitEnded);
  const location = memoryLocation({ path, record: true });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <AuthProvider events={events}>
          <Router hook={location.hook} searchHook={location.searchHook}>
            {ui}
          </Router>
        </AuthProvider>
      </TRPCProvider>
    </QueryClientProvider>,
  );
  return { ...result, location, queryClient };
}
