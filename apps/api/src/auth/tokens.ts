import { webcrypto } from "node:crypto";
import type { Request, Response } from "express";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { ApiConfig } from "../config";

export interface AccessClaims {
  userId: string;
  /** The session family this token belongs to (what sessions.list/revoke call a session). */
  sessionId: string;
  /** Whether the second factor was verified in this session. */
  mfa: boolean;
}

const ISSUER = "taskmaster";
const AUDIENCE = "taskmaster-api";

// jose imports a raw secret into a WebCrypto key on every sign and verify; every authenticated
// request verifies a token, so the key is imported once per secret (about 40 µs per request).
const hmacKeys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();

function hmacKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(claims: AccessClaims, config: ApiConfig): Promise<string> {
  return new SignJWT({ sid: claims.sessionId, mfa: claims.mfa })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${config.accessTokenTtlSeconds}s`)
    .sign(await hmacKey(config.jwtSecret));
}

export async function verifyAccessToken(token: string, config: ApiConfig): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(config.jwtSecret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return { userId: payload.sub, sessionId: payload.sid, mfa: payload.mfa === true };
  } catch (err) {
    // Expired, forged or malformed tokens all mean "not signed in"; anything else is a bug.
    if (err instanceof joseErrors.JOSEError) return null;
    throw err;
  }
}

/** The access token from the cookie (browsers) or the Authorization header (API clients). */
export function readAccessToken(req: Request, config: ApiConfig): Promise<AccessClaims | null> {
  const header = req.get("authorization");
  const bearer = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
  const token = bearer || (req.cookies?.[config.cookies.access] as string | undefined);
  return token ? verifyAccessToken(token, config) : Promise.resolve(null);
}

export function setAuthCookies(
  res: Response,
  config: ApiConfig,
  tokens: { accessToken: string; refreshToken: string; refreshExpiresAt: Date },
): void {
  const base = { httpOnly: true, secure: config.production, sameSite: "strict" as const, path: "/" };
  res.cookie(config.cookies.access, tokens.accessToken, { ...base, maxAge: config.accessTokenTtlSeconds * 1000 });
  res.cookie(config.cookies.refresh, tokens.refreshToken, { ...base, expires: tokens.refreshExpiresAt });
}

export function clearAuthCookies(res: Response, config: ApiConfig): void {
  const base = { httpOnly: true, secure: config.production, sameSite: "strict" as const, path: "/" };
  res.clearCookie(config.cookies.access, base);
  res.clearCookie(config.cookies.refresh, base);
}

export function readRefreshToken(req: Request, config: ApiConfig): string | undefined {
  const value = req.cookies?.[config.cookies.refresh];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
