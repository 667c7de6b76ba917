import type { Database, Tx } from "@taskmaster/db";
import { withServiceContext, withUserContext } from "@taskmaster/db";
import { users } from "@taskmaster/db/schema";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@taskmaster/security";
import {
  changePasswordInput,
  passwordSchema,
  signInInput,
  signUpInput,
  totpCode,
  uuid,
} from "@taskmaster/security/schemas";
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { newMfaSecret, verifyTotp } from "../auth/mfa";
import {
  type IssuedTokens,
  listSessions,
  revokeAllSessions,
  revokeSession,
  rotateRefreshToken,
  startSession,
} from "../auth/sessions";
import { clearAuthCookies, readRefreshToken, setAuthCookies } from "../auth/tokens";
import type { RequestContext } from "../context";
import { audit } from "../lib/audit";
import { isoRequired } from "../lib/dates";
import { notFound } from "../lib/errors";
import { authedProcedure, publicProcedure, router } from "../trpc";

const publicUser = (u: { id: string; email: string; displayName: string; mfaEnabled: boolean }) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  mfaEnabled: u.mfaEnabled,
});

const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  mfaEnabled: users.mfaEnabled,
  passwordHash: users.passwordHash,
  mfaSecret: users.mfaSecret,
};

function issue(ctx: RequestContext, tokens: IssuedTokens) {
  setAuthCookies(ctx.res, ctx.deps.config, tokens);
  // API clients without a cookie jar use the access token as a Bearer token.
  return { accessToken: tokens.accessToken };
}

const client = (ctx: RequestContext) => ({ ip: ctx.ip, userAgent: ctx.userAgent });

/** A configured password policy failure, reported on the field like any other validation error. */
const weakPassword = (field: string, error: z.ZodError) =>
  new TRPCError({
    code: "BAD_REQUEST",
    message: "The password does not meet the password policy.",
    cause: new z.ZodError(error.issues.map((issue) => ({ ...issue, path: [field] }))),
  });

const invalidCredentials = () => new TRPCError({ code: "UNAUTHORIZED", message: "Invalid email or password." });

type Account = NonNullable<Awaited<ReturnType<typeof selectAccount>>>;

async function selectAccount(tx: Tx, userId: string) {
  const [u] = await tx.select(userColumns).from(users).where(eq(users.id, userId));
  return u;
}

/** Runs `fn` with the caller's own row, in a transaction bound to their session when one is given. */
function inAccount<T>(
  db: Database,
  userId: string,
  sessionId: string | undefined,
  fn: (tx: Tx, account: Account) => Promise<T>,
): Promise<T> {
  return withUserContext(
    db,
    userId,
    async (tx) => {
      const account = await selectAccount(tx, userId);
      if (!account) throw new TRPCError({ code: "UNAUTHORIZED", message: "This account no longer exists." });
      return fn(tx, account);
    },
    sessionId === undefined ? {} : { sessionId },
  );
}

const loadSelf = (db: Database, userId: string, sessionId?: string) =>
  inAccount(db, userId, sessionId, async (_tx, account) => account);

async function requireValidCode(account: Account, code: string, ctx: RequestContext, message: string) {
  if (!account.mfaSecret || !(await verifyTotp(account.mfaSecret, code, ctx.deps.cipher, account.id))) {
    throw new TRPCError({ code: "BAD_REQUEST", message });
  }
}

const sessionsRouter = router({
  list: authedProcedure.query(async ({ ctx }) => {
    const rows = await listSessions(ctx.deps.db, ctx.auth.userId);
    return rows.map((r) => ({
      id: r.id,
      createdAt: isoRequired(r.createdAt),
      lastSeenAt: isoRequired(r.lastSeenAt),
      ip: r.ip,
      userAgent: r.userAgent,
      current: r.id === ctx.auth.sessionId,
    }));
  }),
  revoke: authedProcedure.input(z.object({ id: uuid }).strict()).mutation(async ({ ctx, input }) => {
    if (!(await revokeSession(ctx.deps.db, ctx.auth.userId, input.id))) throw notFound("Session");
    if (input.id === ctx.auth.sessionId) clearAuthCookies(ctx.res, ctx.deps.config);
    await withUserContext(ctx.deps.db, ctx.auth.userId, (tx) =>
      audit(tx, {
        actorId: ctx.auth.userId,
        action: "auth.session_revoke",
        entity: "session",
        entityId: input.id,
        ip: ctx.ip,
      }),
    );
    return { ok: true as const };
  }),
});

const mfaRouter = router({
  /** Stores a new (not yet active) secret and returns it once, for the authenticator app. */
  enroll: authedProcedure.mutation(({ ctx }) =>
    inAccount(ctx.deps.db, ctx.auth.userId, ctx.auth.sessionId, async (tx, account) => {
      if (account.mfaEnabled) {
        throw new TRPCError({ code: "CONFLICT", message: "MFA is already enabled; disable it first." });
      }
      const { secret, encrypted, otpauthUrl } = newMfaSecret(account.email, ctx.deps.cipher, account.id);
      await tx.update(users).set({ mfaSecret: encrypted }).where(eq(users.id, account.id));
      await audit(tx, {
        actorId: account.id,
        action: "auth.mfa_enroll",
        entity: "user",
        entityId: account.id,
        ip: ctx.ip,
      });
      return { secret, otpauthUrl };
    }),
  ),
  verify: authedProcedure.input(z.object({ code: totpCode }).strict()).mutation(({ ctx, input }) =>
    inAccount(ctx.deps.db, ctx.auth.userId, ctx.auth.sessionId, async (tx, account) => {
      if (!account.mfaSecret) throw new TRPCError({ code: "BAD_REQUEST", message: "Start MFA enrolment first." });
      await requireValidCode(
        account,
        input.code,
        ctx,
        "That code is not valid. Check your device's clock and try again.",
      );
      await tx.update(users).set({ mfaEnabled: true }).where(eq(users.id, account.id));
      await audit(tx, {
        actorId: account.id,
        action: "auth.mfa_enable",
        entity: "user",
        entityId: account.id,
        ip: ctx.ip,
      });
      return { enabled: true as const };
    }),
  ),
  disable: authedProcedure.input(z.object({ code: totpCode }).strict()).mutation(({ ctx, input }) =>
    inAccount(ctx.deps.db, ctx.auth.userId, ctx.auth.sessionId, async (tx, account) => {
      if (!account.mfaEnabled) throw new TRPCError({ code: "BAD_REQUEST", message: "MFA is not enabled." });
      await requireValidCode(account, input.code, ctx, "That code is not valid.");
      await tx.update(users).set({ mfaEnabled: false, mfaSecret: null }).where(eq(users.id, account.id));
      await audit(tx, {
        actorId: account.id,
        action: "auth.mfa_disable",
        entity: "user",
        entityId: account.id,
        ip: ctx.ip,
      });
      return { enabled: false as const };
    }),
  ),
});

export const authRouter = router({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.limits.heavy(ctx, `ip:${ctx.ip}`);
    const policy = passwordSchema(ctx.deps.config.passwordPolicy).safeParse(input.password);
    if (!policy.success) throw weakPassword("password", policy.error);
    const passwordHash = await hashPassword(input.password);
    const user = await withServiceContext(ctx.deps.db, { email: input.email }, async (tx) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.email}`);
      if (taken) throw new TRPCError({ code: "CONFLICT", message: "An account with this email already exists." });
      const [created] = await tx
        .insert(users)
        .values({ email: input.email, displayName: input.displayName, passwordHash })
        .returning(userColumns);
      if (!created) throw new Error("insert returned no row");
      await tx.execute(sql`select set_config('app.user_id', ${created.id}, true)`);
      await audit(tx, {
        actorId: created.id,
        action: "auth.sign_up",
        entity: "user",
        entityId: created.id,
        ip: ctx.ip,
      });
      return created;
    });
    const tokens = await startSession(ctx.deps.db, ctx.deps.config, { id: user.id, mfaVerified: false }, client(ctx));
    return { user: publicUser(user), ...issue(ctx, tokens) };
  }),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.limits.signIn.check(ctx, input.email);
    const user = await withServiceContext(ctx.deps.db, { email: input.email }, async (tx) => {
      const [u] = await tx.select(userColumns).from(users).where(sql`lower(${users.email}) = ${input.email}`);
      return u;
    });
    // Unknown emails cost one argon2 verification too, so timing does not reveal which emails exist.
    const passwordOk = user
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDummy(input.password);
    if (!user || !passwordOk) {
      await withServiceContext(ctx.deps.db, { email: input.email }, (tx) =>
        audit(tx, { actorId: null, action: "auth.sign_in_failed", entity: "user", ip: ctx.ip }),
      );
      await ctx.deps.limits.signIn.fail(ctx, input.email);
      throw invalidCredentials();
    }
    if (user.mfaEnabled) {
      if (!input.totp) return { status: "mfa_required" as const };
      if (!user.mfaSecret || !(await verifyTotp(user.mfaSecret, input.totp, ctx.deps.cipher, user.id))) {
        await ctx.deps.limits.signIn.fail(ctx, input.email);
        throw new TRPCError({ code: "UNAUTHORIZED", message: "That authentication code is not valid." });
      }
    }
    await ctx.deps.limits.signIn.succeed(ctx, input.email);
    // An outdated hash is upgraded by the user's own transaction: app_service may not write password hashes.
    const rehash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;
    await withUserContext(ctx.deps.db, user.id, async (tx) => {
      if (rehash) await tx.update(users).set({ passwordHash: rehash }).where(eq(users.id, user.id));
      await audit(tx, { actorId: user.id, action: "auth.sign_in", entity: "user", entityId: user.id, ip: ctx.ip });
    });
    const tokens = await startSession(
      ctx.deps.db,
      ctx.deps.config,
      { id: user.id, mfaVerified: user.mfaEnabled },
      client(ctx),
    );
    return { status: "ok" as const, user: publicUser(user), ...issue(ctx, tokens) };
  }),

  refresh: publicProcedure.mutation(async ({ ctx }) => {
    const token = readRefreshToken(ctx.req, ctx.deps.config);
    if (!token) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session ended. Please sign in again." });
    const outcome = await rotateRefreshToken(ctx.deps.db, ctx.deps.config, token, client(ctx));
    if (outcome.kind !== "rotated") {
      if (outcome.kind !== "raced") clearAuthCookies(ctx.res, ctx.deps.config);
      if (outcome.kind === "reused") {
        ctx.deps.logger.warn("refresh token reuse detected: session family revoked", { requestId: ctx.requestId });
      }
      const message =
        outcome.kind === "raced"
          ? "Your session was refreshed in another tab. Retry the request."
          : outcome.kind === "revoked" || outcome.kind === "reused"
            ? "This session was signed out. Please sign in again."
            : "Your session ended. Please sign in again.";
      throw new TRPCError({ code: "UNAUTHORIZED", message });
    }
    const user = await loadSelf(ctx.deps.db, outcome.tokens.userId);
    return { user: publicUser(user), ...issue(ctx, outcome.tokens) };
  }),

  signOut: authedProcedure
    .input(z.object({ everywhere: z.boolean().optional() }).strict().optional())
    .mutation(async ({ ctx, input }) => {
      if (input?.everywhere) await revokeAllSessions(ctx.deps.db, ctx.auth.userId);
      else await revokeSession(ctx.deps.db, ctx.auth.userId, ctx.auth.sessionId);
      clearAuthCookies(ctx.res, ctx.deps.config);
      await withUserContext(ctx.deps.db, ctx.auth.userId, (tx) =>
        audit(tx, {
          actorId: ctx.auth.userId,
          action: input?.everywhere ? "auth.sign_out_everywhere" : "auth.sign_out",
          entity: "session",
          entityId: ctx.auth.sessionId,
          ip: ctx.ip,
        }),
      );
      return { ok: true as const };
    }),

  me: authedProcedure.query(async ({ ctx }) =>
    publicUser(await loadSelf(ctx.deps.db, ctx.auth.userId, ctx.auth.sessionId)),
  ),

  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const userId = ctx.auth.userId;
    const user = await loadSelf(ctx.deps.db, userId, ctx.auth.sessionId);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await ctx.deps.limits.signIn.fail(ctx, user.email);
      throw new TRPCError({ code: "BAD_REQUEST", message: "The current password is not correct." });
    }
    const parsed = passwordSchema(ctx.deps.config.passwordPolicy).safeParse(input.newPassword);
    if (!parsed.success) throw weakPassword("newPassword", parsed.error);
    const passwordHash = await hashPassword(input.newPassword);
    await withUserContext(
      ctx.deps.db,
      userId,
      async (tx) => {
        await tx.update(users).set({ passwordHash, passwordChangedAt: sql`now()` }).where(eq(users.id, userId));
        await audit(tx, {
          actorId: userId,
          action: "auth.password_change",
          entity: "user",
          entityId: userId,
          ip: ctx.ip,
        });
      },
      { sessionId: ctx.auth.sessionId },
    );
    // Every other device has to sign in again with the new password.
    const revoked = await revokeAllSessions(ctx.deps.db, userId, ctx.auth.sessionId);
    return { ok: true as const, revokedSessions: revoked };
  }),

  sessions: sessionsRouter,
  mfa: mfaRouter,
});
