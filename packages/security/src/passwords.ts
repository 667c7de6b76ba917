/**
 * Password hashing with argon2id. Parameters follow the OWASP Password
 * Storage Cheat Sheet's first recommendation (m=19 MiB, t=2, p=1):
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 */
import argon2 from "argon2";

export interface Argon2Params {
  /** KiB */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const ARGON2_PARAMS: Readonly<Argon2Params> = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

/**
 * A real argon2id hash (of a random password nobody knows) with the current
 * parameters: sign-in for an unknown email verifies against it so it takes as
 * long as a real check and does not reveal which emails exist.
 */
export const DUMMY_HASH =
  "$argon2id$v=19$m=19456,p=1,t=2$INbHvlxBnVL9+6WoRssO2Q$KxoXgPvehGlRQykeiEEERDoOTGfRr2/cVkvkVhLOuNs";

// Longer inputs only cost CPU: argon2 accepts them, an attacker would love them.
const MAX_PASSWORD_BYTES = 1024;

export async function hashPassword(password: string, params: Argon2Params = ARGON2_PARAMS): Promise<string> {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new RangeError("Password is too long to hash");
  return argon2.hash(password, { type: argon2.argon2id, ...params });
}

/** True when `password` matches `hash`. False (never a throw) for a malformed or non-argon2 hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (typeof hash !== "string" || !hash.startsWith("$argon2") || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** True when `hash` was made with other parameters or another variant: rehash after a successful sign-in. */
export function needsRehash(hash: string, params: Argon2Params = ARGON2_PARAMS): boolean {
  if (!hash.startsWith("$argon2id$")) return true;
  try {
    return argon2.needsRehash(hash, params);
  } catch {
    return true;
  }
}

/** Spends the same time as a real verification and always returns false. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}
