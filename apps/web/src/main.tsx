// Must run before any zod schema is built (see the module).
import "./lib/zod-csp";
import "./styles/app.css";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { AuthProvider, createSessionEvents } from "./lib/auth";
import { createQueryClient } from "./lib/query-client";
import { routePattern } from "./lib/routes";
import { createApiClient, TRPCProvider } from "./lib/trpc";
import { startVitals } from "./lib/vitals";

const events = createSessionEvents();
const queryClient = createQueryClient();
const trpcClient = createApiClient(events.emitEnded);

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <AuthProvider events={events}>
          <App />
        </AuthProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);

void startVitals(() => routePattern(location.pathname));
