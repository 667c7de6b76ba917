import { randomUUID } from "node:crypto";
import type { Database } from "@taskmaster/db";
import { withServiceContext } from "@taskmaster/db";
import { sessions } from "@taskmaster/db/schema";
import { hashToken, randomToken } from "@taskmaster/security";
import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { ApiConfig } from "../config";
import { signAccessToken } from "./tokens";

export interface IssuedTokens {
  userId: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: Date;
  mfa: boolean;
}

interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const secondsFromNow = (s: number) => new Date(Date.now() + s * 1000);

/** Starts a session family after a successful sign-in or sign-up. */
export async function startSession(
  db: Database,
  config: ApiConfig,
  user: { id: string; mfaVerified: boolean },
  client: ClientInfo,
): Promise<IssuedTokens> {
  const familyId = randomUUID();
  const refreshToken = randomToken(32);
  const expiresAt = secondsFromNow(config.refreshAbsoluteTtlSeconds);
  await withServiceContext(db, { userId: user.id }, (tx) =>
    tx.insert(sessions).values({
      familyId,
      userId: user.id,
      tokenHash: hashToken(refreshToken),
      expiresAt,
      idleExpiresAt: secondsFromNow(config.refreshIdleTtlSeconds),
      ip: client.ip,
      userAgent: client.userAgent,
      mfaVerified: user.mfaVerified,
    }),
  );
  const accessToken = await signAccessToken({ userId: user.id, sessionId: familyId, mfa: user.mfaVerified }, config);
  return {
    userId: user.id,
    sessionId: familyId,
    accessToken,
    refreshToken,
    refreshExpiresAt: expiresAt,
    mfa: user.mfaVerified,
  };
}

export type RefreshOutcome =
  | { kind: "rotated"; tokens: IssuedTokens }
  | { kind: "invalid" }
  | { kind: "expired" }
  | { kind: "revoked" }
  /** A rotated token came back: presumed stolen, so the whole family was revoked. */
  | { kind: "reused" }
  /** A rotated token came back within the grace window: two tabs raced; nothing revoked. */
  | { kind: "raced" };

/**
 * Rotates a refresh token. The service role sees only the session whose token
 * hash is in its context; once the token identifies the user, the user id is
 * added to the context so the family can be rotated or revoked.
 */
export async function rotateRefreshToken(
  db: Database,
  config: ApiConfig,
  refreshToken: string,
  client: ClientInfo,
): Promise<RefreshOutcome> {
  const tokenHash = hashToken(refreshToken);
  return withServiceContext(db, { tokenHash }, async (tx) => {
    const [current] = await tx.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
    if (!current) return { kind: "invalid" } as const;
    await tx.execute(sql`select set_config('app.user_id', ${current.userId}, true)`);
    if (current.revoked) return { kind: "revoked" } as const;
    const now = Date.now();
    if (current.rotatedAt) {
      if (now - current.rotatedAt.getTime() <= config.refreshReuseGraceSeconds * 1000)
        return { kind: "raced" } as const;
      await tx.update(sessions).set({ revoked: true }).where(eq(sessions.familyId, current.familyId));
      return { kind: "reused" } as const;
    }
    if (current.expiresAt.getTime() <= now || current.idleExpiresAt.getTime() <= now) {
      await tx.update(sessions).set({ revoked: true }).where(eq(sessions.familyId, current.familyId));
      return { kind: "expired" } as const;
    }
    // Mark the old token used; a concurrent rotation of the same token loses this race.
    const claimed = await tx
      .update(sessions)
      .set({ rotatedAt: new Date(now) })
      .where(and(eq(sessions.id, current.id), isNull(sessions.rotatedAt)))
      .returning({ id: sessions.id });
    if (claimed.length === 0) return { kind: "raced" } as const;
    const next = randomToken(32);
    const idle = Math.min(now + config.refreshIdleTtlSeconds * 1000, current.expiresAt.getTime());
    await tx.insert(sessions).values({
      familyId: current.familyId,
      userId: current.userId,
      tokenHash: hashToken(next),
      expiresAt: current.expiresAt,
      idleExpiresAt: new Date(idle),
      createdAt: current.createdAt,
      ip: client.ip,
      userAgent: client.userAgent,
      mfaVerified: current.mfaVerified,
    });
    const accessToken = await signAccessToken(
      { userId: current.userId, sessionId: current.familyId, mfa: current.mfaVerified },
      config,
    );
    return {
      kind: "rotated",
      tokens: {
        userId: current.userId,
        sessionId: current.familyId,
        accessToken,
        refreshToken: next,
        refreshExpiresAt: current.expiresAt,
        mfa: current.mfaVerified,
      },
    } as const;
  });
}

/** Revokes one session family of the user; false when it is not theirs or does not exist. */
export async function revokeSession(db: Database, userId: string, familyId: string): Promise<boolean> {
  return withServiceContext(db, { userId }, async (tx) => {
    const rows = await tx
      .update(sessions)
      .set({ revoked: true })
      .where(and(eq(sessions.userId, userId), eq(sessions.familyId, familyId), eq(sessions.revoked, false)))
      .returning({ id: sessions.id });
    return rows.length > 0;
  });
}

/** Revokes every session of the user, or all but `keepFamilyId`. Returns how many families ended. */
export async function revokeAllSessions(db: Database, userId: string, keepFamilyId?: string): Promise<number> {
  return withServiceContext(db, { userId }, async (tx) => {
    const rows = await tx
      .update(sessions)
      .set({ revoked: true })
      .where(
        and(
          eq(sessions.userId, userId),
          eq(sessions.revoked, false),
          keepFamilyId ? ne(sessions.familyId, keepFamilyId) : undefined,
        ),
      )
      .returning({ familyId: sessions.familyId });
    return new Set(rows.map((r) => r.familyId)).size;
  });
}

/** The user's live sessions: one entry per family, described by its newest token. */
export async function listSessions(db: Database, userId: string) {
  return withServiceContext(db, { userId }, (tx) =>
    tx
      .select({
        id: sessions.familyId,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
      })
      .from(sessions)
      .where(
        and(
          eq(sessions.userId, userId),
          eq(sessions.revoked, false),
          isNull(sessions.rotatedAt),
          gt(sessions.expiresAt, sql`now()`),
          gt(sessions.idleExpiresAt, sql`now()`),
        ),
      )
      .orderBy(desc(sessions.lastSeenAt))
      .limit(100),
  );
}
