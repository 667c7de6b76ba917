import { createSecretKey, type KeyObject, randomBytes } from "node:crypto";

/** AES-256 needs exactly 32 bytes of key material. */
export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class KeyringError extends Error {
  override readonly name = "KeyringError";
}

/**
 * Encryption keys by id. The first key of the spec is the active one (new
 * ciphertexts); every key can decrypt, so old rows stay readable during a
 * rotation. Key material lives in KeyObjects, which never print their bytes.
 */
export interface Keyring {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, KeyObject>;
}

function decodeKey(id: string, material: string): Buffer {
  const normalized = material.trim();
  let bytes: Buffer;
  if (BASE64.test(normalized)) bytes = Buffer.from(normalized, "base64");
  else if (BASE64URL.test(normalized)) bytes = Buffer.from(normalized, "base64url");
  else throw new KeyringError(`Encryption key "${id}" is not valid base64`);
  if (bytes.length !== KEY_BYTES) {
    throw new KeyringError(`Encryption key "${id}" must decode to ${KEY_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Parses `ENCRYPTION_KEYS`-style specs: `k2:<base64 32 bytes>,k1:<base64 32 bytes>`.
 * The first entry encrypts; all decrypt. Errors name the key id, never the key.
 */
export function parseKeyring(spec: string): Keyring {
  const entries = spec
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  if (entries.length === 0) {
    throw new KeyringError("Keyring is empty: expected id:base64key[,id:base64key...]");
  }
  const keys = new Map<string, KeyObject>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(":");
    if (colon <= 0) {
      throw new KeyringError(`Keyring entry ${index + 1} must look like id:base64key (missing key id)`);
    }
    const id = entry.slice(0, colon).trim();
    if (!KEY_ID.test(id)) {
      throw new KeyringError(`Keyring entry ${index + 1}: key id must be 1-32 characters of [A-Za-z0-9_-]`);
    }
    if (keys.has(id)) throw new KeyringError(`Keyring has key id "${id}" more than once`);
    keys.set(id, createSecretKey(decodeKey(id, entry.slice(colon + 1))));
  });
  const activeKeyId = entries[0]?.slice(0, entries[0].indexOf(":")).trim() ?? "";
  return { activeKeyId, keys };
}

/** A fresh random 32-byte key, base64: for docs, `.env` files and tests. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}
