import type { Database, Tx } from "@taskmaster/db";
import { withServiceContext, withUserContext } from "@taskmaster/db";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import type { AccessClaims } from "./auth/tokens";
import type { RequestContext } from "./context";
import { toTrpcError } from "./lib/errors";

/**
 * Procedure tiers, built once. Resolvers of `protectedProcedure` get `ctx.db`
 * already bound to the user's RLS transaction; they never open their own.
 */
const t = initTRPC.context<RequestContext>().create({
  isDev: process.env.NODE_ENV !== "production",
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const production = ctx?.deps.config.production ?? true;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // Internals (SQL, driver messages, stack) never leave the server in production.
      message: internal && production ? "Internal server error" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestId,
        ...(production ? {} : { stack: shape.data.stack }),
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        retryAfter:
          cause && typeof cause === "object" && "retryAfterSeconds" in cause
            ? Number((cause as { retryAfterSeconds: number }).retryAfterSeconds)
            : undefined,
      },
    };
  },
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

/** Turns driver and domain errors into tRPC codes (42501 → FORBIDDEN, 23505 → CONFLICT, …). */
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTrpcError(result.error);
  return result;
});

/** Spans and per-procedure metrics, via the telemetry seam in deps. */
const traced = t.middleware(({ ctx, path, type, next }) =>
  ctx.deps.observe.procedure({ path, type, userId: ctx.auth?.userId }, async () => {
    const result = await next();
    if (!result.ok) throw result.error;
    return result;
  }),
);

export const publicProcedure = t.procedure.use(errorMapping).use(traced);

const authenticated = t.middleware(({ ctx, next }) => {
  if (!ctx.auth) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { auth: ctx.auth as AccessClaims } });
});

/** Per-user API limit (per IP would be the global middleware's job). */
const apiRateLimit = t.middleware(async ({ ctx, next }) => {
  await ctx.deps.limits.api(ctx, `user:${ctx.auth?.userId ?? ctx.ip}`);
  return next();
});

/** MFA enforcement when `REQUIRE_MFA` is on: only the MFA enrolment and session procedures stay open. */
const mfaGate = t.middleware(({ ctx, path, next }) => {
  if (ctx.deps.config.requireMfa && ctx.auth && !ctx.auth.mfa && !/^auth\.(me|mfa\.|signOut|sessions\.)/.test(path)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Multi-factor authentication is required for this account." });
  }
  return next();
});

export const authedProcedure = publicProcedure.use(authenticated).use(apiRateLimit).use(mfaGate);

/** Authenticated, rate limited, traced, and inside one RLS transaction as `app_user`. */
export const protectedProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const { userId, sessionId } = ctx.auth as AccessClaims;
  return withUserContext(
    ctx.deps.db,
    userId,
    async (tx) => {
      const result = await next({ ctx: { db: tx, userId } });
      // Roll the transaction back when the resolver failed, even though tRPC catches it.
      if (!result.ok) throw result.error;
      return result;
    },
    // A revoked session is refused by the same statement that sets the RLS context.
    { sessionId },
  );
});

/** System operations (sign-up, sign-in, refresh) run as `app_service` with a narrow context. */
export function serviceTransaction<T>(
  db: Database,
  context: { userId?: string; email?: string; tokenHash?: string },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return withServiceContext(db, context, fn);
}
