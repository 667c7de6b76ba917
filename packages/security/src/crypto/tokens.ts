import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** SHA-256 hex of a token: what gets stored for session/refresh tokens, never the token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A random token of `bytes` bytes (default 32 = 256 bits), base64url without padding. */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16) throw new RangeError("randomToken needs at least 16 bytes");
  return randomBytes(bytes).toString("base64url");
}

/**
 * Constant-time equality for secrets of any length. Both sides are hashed
 * first so timingSafeEqual always compares 32 bytes and the time does not
 * reveal the expected length either.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db);
}

/** scrypt cost for password-derived keys: N=2^15, r=8, p=1 (32 MiB, ~50-100 ms). */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;

/**
 * A 32-byte key derived from a password with scrypt (for encrypting exports
 * or backups with a passphrase; not for storing login passwords - use
 * hashPassword). The salt must be random, ≥ 16 bytes, stored with the data.
 */
export function deriveKey(password: string | Buffer, salt: Buffer, keyLength = 32): Promise<Buffer> {
  if (salt.length < 16) return Promise.reject(new RangeError("deriveKey needs a salt of at least 16 bytes"));
  const { N, r, p } = SCRYPT_PARAMS;
  // 128 * N * r bytes of memory are needed; Node's default cap is exactly that, so lift it.
  const maxmem = 256 * N * r;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
