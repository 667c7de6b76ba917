import { QueryClient } from "@tanstack/react-query";
import { readApiError } from "./errors";

// Errors a retry cannot fix: retrying them only delays the message the user needs.
const FINAL_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST", "TOO_MANY_REQUESTS", "CONFLICT"]);

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, err) => failures < 2 && !FINAL_CODES.has(readApiError(err).code ?? ""),
      },
      mutations: { retry: false },
    },
  });
}
