import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring } from "./keyring";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12; // the GCM nonce size NIST recommends; random per encryption
const TAG_BYTES = 16; // full-length tag: no truncation
const FORMAT = /^v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]+)$/;

export class FieldCipherError extends Error {
  override readonly name = "FieldCipherError";
}

/** What a ciphertext is bound to: the cell it belongs to. */
export type FieldAad = string | { table: string; column: string; rowId: string };

/** The additional authenticated data for a cell, `${table}/${column}/${rowId}`. */
export function fieldAad(table: string, column: string, rowId: string): string {
  for (const [name, part] of [
    ["table", table],
    ["column", column],
    ["rowId", rowId],
  ] as const) {
    if (part === "" || part.includes("/"))
      throw new FieldCipherError(`AAD ${name} must be non-empty and contain no "/"`);
  }
  return `${table}/${column}/${rowId}`;
}

function aadBytes(aad: FieldAad): Buffer {
  const text = typeof aad === "string" ? aad : fieldAad(aad.table, aad.column, aad.rowId);
  if (text === "") throw new FieldCipherError("AAD must not be empty: bind the ciphertext to its table/column/row");
  return Buffer.from(text, "utf8");
}

export interface FieldCipher {
  /** `v1.<keyId>.<base64url(iv | tag | ciphertext)>`, encrypted with the active key. */
  encrypt(plaintext: string, aad: FieldAad): string;
  /** The plaintext; throws FieldCipherError if the key is unknown, the AAD differs, or any byte was altered. */
  decrypt(ciphertext: string, aad: FieldAad): string;
  /** The key id a ciphertext was written with. */
  keyIdOf(ciphertext: string): string;
  /** True when the ciphertext was not written with the active key (re-encrypt it). */
  needsRotation(ciphertext: string): boolean;
  /** The value re-encrypted with the active key, or null when it already uses it (for the rotation job). */
  rotate(ciphertext: string, aad: FieldAad): string | null;
  readonly activeKeyId: string;
}

function parse(ciphertext: string): { keyId: string; iv: Buffer; tag: Buffer; body: Buffer } {
  const match = FORMAT.exec(ciphertext);
  if (!match) throw new FieldCipherError(`Not a ${VERSION} field ciphertext`);
  const [, keyId = "", payload = ""] = match;
  const raw = Buffer.from(payload, "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new FieldCipherError("Field ciphertext is truncated");
  return {
    keyId,
    iv: raw.subarray(0, IV_BYTES),
    tag: raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    body: raw.subarray(IV_BYTES + TAG_BYTES),
  };
}

/**
 * AES-256-GCM encryption of single database fields (note bodies, MFA
 * secrets). Each value gets a random 12-byte IV and a 16-byte tag, and is
 * bound by AAD to its table/column/row, so a ciphertext copied into another
 * row or column does not decrypt.
 */
export function createFieldCipher(keyring: Keyring): FieldCipher {
  const active = keyring.keys.get(keyring.activeKeyId);
  if (!active) throw new FieldCipherError(`Active key "${keyring.activeKeyId}" is not in the keyring`);

  return {
    activeKeyId: keyring.activeKeyId,
    encrypt(plaintext, aad) {
      if (typeof plaintext !== "string") throw new FieldCipherError("Only strings can be encrypted");
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, active, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadBytes(aad));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const payload = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
      return `${VERSION}.${keyring.activeKeyId}.${payload}`;
    },
    decrypt(ciphertext, aad) {
      const { keyId, iv, tag, body } = parse(ciphertext);
      const key = keyring.keys.get(keyId);
      if (!key) throw new FieldCipherError(`Field ciphertext uses unknown key id "${keyId}"`);
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadBytes(aad));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        // GCM does not say which part failed; neither do we.
        throw new FieldCipherError("Field ciphertext failed authentication (wrong key, wrong AAD, or tampered)");
      }
    },
    keyIdOf(ciphertext) {
      return parse(ciphertext).keyId;
    },
    needsRotation(ciphertext) {
      return parse(ciphertext).keyId !== keyring.activeKeyId;
    },
    rotate(ciphertext, aad) {
      if (!this.needsRotation(ciphertext)) return null;
      return this.encrypt(this.decrypt(ciphertext, aad), aad);
    },
  };
}
