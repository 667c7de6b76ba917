import { TRPCError } from "@trpc/server";

interface PgError {
  code?: string;
}

const pgCode = (err: unknown): string | undefined => {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as PgError).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
};

/**
 * Maps what Postgres says to what the caller should hear. A write that RLS
 * refuses is FORBIDDEN; a duplicate is CONFLICT; a reference to a row the
 * caller cannot see is NOT_FOUND. Everything unknown stays INTERNAL (and its
 * message is hidden in production by the error formatter).
 */
export function toTrpcError(err: unknown): TRPCError {
  if (err instanceof TRPCError && err.code !== "INTERNAL_SERVER_ERROR") return err;
  const cause = err instanceof TRPCError ? (err.cause ?? err) : err;
  switch (pgCode(cause)) {
    case "28000":
      return new TRPCError({
        code: "UNAUTHORIZED",
        message: "This session was signed out. Please sign in again.",
        cause,
      });
    case "42501":
      return new TRPCError({ code: "FORBIDDEN", message: "You do not have permission to change this.", cause });
    case "23505":
      return new TRPCError({ code: "CONFLICT", message: "That already exists.", cause });
    case "23503":
      return new TRPCError({ code: "NOT_FOUND", message: "A referenced item does not exist.", cause });
    case "22P02":
    case "22007":
    case "22008":
    case "23514":
      return new TRPCError({ code: "BAD_REQUEST", message: "Invalid value.", cause });
    default:
      return err instanceof TRPCError ? err : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause });
  }
}

export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} not found.` });
export const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });
