import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import {
  createFieldCipher,
  deriveKey,
  FieldCipherError,
  fieldAad,
  generateKey,
  hashToken,
  KeyringError,
  parseKeyring,
  randomToken,
  safeEqual,
} from "../src/crypto";

const K1 = generateKey();
const K2 = generateKey();
const ROW = "6f1c1b0e-8a4b-4c1e-9d5a-1f2e3d4c5b6a";
const AAD = fieldAad("notes", "body", ROW);

function flipByte(ciphertext: string, index: number): string {
  const [v, id, payload = ""] = ciphertext.split(".");
  const raw = Buffer.from(payload, "base64url");
  raw[index] = (raw[index] ?? 0) ^ 0x01;
  return `${v}.${id}.${raw.toString("base64url")}`;
}

describe("field cipher (AES-256-GCM)", () => {
  const cipher = createFieldCipher(parseKeyring(`k1:${K1}`));

  test("round trip, format v1.<keyId>.<base64url>, and AAD given as a string or as parts", () => {
    const text = "Meeting notes: ünïcødé ✓ and a long tail ".repeat(20);
    const ct = cipher.encrypt(text, AAD);
    expect(ct).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+$/);
    expect(ct).not.toContain("Meeting");
    expect(cipher.decrypt(ct, { table: "notes", column: "body", rowId: ROW })).toBe(text);
    expect(cipher.decrypt(cipher.encrypt("", AAD), AAD)).toBe("");
  });

  test("the same plaintext encrypts to a different IV and ciphertext every time", () => {
    const a = cipher.encrypt("same", AAD);
    const b = cipher.encrypt("same", AAD);
    expect(a).not.toBe(b);
    const iv = (ct: string) =>
      Buffer.from(ct.split(".")[2] ?? "", "base64url")
        .subarray(0, 12)
        .toString("hex");
    expect(iv(a)).not.toBe(iv(b));
  });

  test("flipping any single byte of IV, tag or ciphertext makes decryption fail", () => {
    const ct = cipher.encrypt("secret body text", AAD);
    const length = Buffer.from(ct.split(".")[2] ?? "", "base64url").length;
    expect(length).toBe(12 + 16 + "secret body text".length);
    for (let i = 0; i < length; i++) {
      expect(() => cipher.decrypt(flipByte(ct, i), AAD), `byte ${i}`).toThrow(FieldCipherError);
    }
  });

  test("a ciphertext moved to another row, column or table does not decrypt", () => {
    const ct = cipher.encrypt("secret", AAD);
    expect(() => cipher.decrypt(ct, fieldAad("notes", "body", "00000000-0000-4000-8000-000000000000"))).toThrow(
      /failed authentication/,
    );
    expect(() => cipher.decrypt(ct, fieldAad("notes", "title", ROW))).toThrow(FieldCipherError);
    expect(() => cipher.decrypt(ct, fieldAad("users", "body", ROW))).toThrow(FieldCipherError);
  });

  test("truncated, malformed and unknown-key ciphertexts are rejected with clear errors", () => {
    const ct = cipher.encrypt("x", AAD);
    expect(() => cipher.decrypt(ct.slice(0, 20), AAD)).toThrow(/truncated|Not a v1/);
    expect(() => cipher.decrypt("plaintext", AAD)).toThrow(/Not a v1 field ciphertext/);
    expect(() => cipher.decrypt(ct.replace("v1.k1.", "v1.k9."), AAD)).toThrow(/unknown key id "k9"/);
    expect(() => cipher.encrypt("x", "")).toThrow(/AAD must not be empty/);
    expect(() => fieldAad("notes", "body", "a/b")).toThrow(/rowId/);
  });

  test("rotation: k1 ciphertexts decrypt with keyring k2,k1, which encrypts with k2 and flags k1 data", () => {
    const old = cipher.encrypt("written before rotation", AAD);
    const rotated = createFieldCipher(parseKeyring(`k2:${K2},k1:${K1}`));
    expect(rotated.activeKeyId).toBe("k2");
    expect(rotated.decrypt(old, AAD)).toBe("written before rotation");
    expect(rotated.keyIdOf(old)).toBe("k1");
    expect(rotated.needsRotation(old)).toBe(true);
    const fresh = rotated.encrypt("new", AAD);
    expect(rotated.keyIdOf(fresh)).toBe("k2");
    expect(rotated.needsRotation(fresh)).toBe(false);
    const reencrypted = rotated.rotate(old, AAD);
    expect(reencrypted && rotated.keyIdOf(reencrypted)).toBe("k2");
    expect(rotated.decrypt(reencrypted ?? "", AAD)).toBe("written before rotation");
    expect(rotated.rotate(fresh, AAD)).toBeNull();
    expect(() => rotated.rotate(flipByte(old, 20), AAD)).toThrow(FieldCipherError);
    // A keyring that dropped k1 can no longer read old data: retire keys only after re-encrypting.
    expect(() => createFieldCipher(parseKeyring(`k2:${K2}`)).decrypt(old, AAD)).toThrow(/unknown key id "k1"/);
  });
});

describe("parseKeyring", () => {
  test("accepts base64 and base64url keys, first entry active", () => {
    const urlSafe = randomBytes(32).toString("base64url");
    const ring = parseKeyring(` k2:${K2} , k1:${urlSafe} `);
    expect(ring.activeKeyId).toBe("k2");
    expect([...ring.keys.keys()]).toEqual(["k2", "k1"]);
  });

  test("rejects wrong key lengths naming the key id and never echoing the key", () => {
    const short = randomBytes(16).toString("base64");
    let error: unknown;
    try {
      parseKeyring(`k1:${K1},old:${short}`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyringError);
    expect(String(error)).toContain('"old" must decode to 32 bytes, got 16');
    expect(String(error)).not.toContain(short);
  });

  test("rejects empty specs, missing ids, duplicates and non-base64 material", () => {
    expect(() => parseKeyring("")).toThrow(/empty/);
    expect(() => parseKeyring(K1)).toThrow(/missing key id/);
    expect(() => parseKeyring(`k1:${K1},k1:${K2}`)).toThrow(/"k1" more than once/);
    expect(() => parseKeyring("k1:not base64!!")).toThrow(/"k1" is not valid base64/);
    expect(() => parseKeyring(`bad.id:${K1}`)).toThrow(/key id must be/);
  });

  test("keys do not leak through JSON or inspection of the keyring", () => {
    const ring = parseKeyring(`k1:${K1}`);
    const hex = Buffer.from(K1, "base64").toString("hex");
    const dumped = `${JSON.stringify([...ring.keys.entries()])} ${inspect(ring, { depth: 5 })}`;
    expect(dumped).not.toContain(K1);
    expect(dumped).not.toContain(hex);
  });
});

describe("tokens", () => {
  test("randomToken is base64url of the requested size and unique", () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(t);
    expect(Buffer.from(randomToken(48), "base64url")).toHaveLength(48);
    expect(() => randomToken(8)).toThrow(RangeError);
  });

  test("hashToken is sha256 hex and deterministic", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("safeEqual compares any lengths without throwing", () => {
    expect(safeEqual("token-a", "token-a")).toBe(true);
    expect(safeEqual("token-a", "token-b")).toBe(false);
    expect(safeEqual("short", "a much longer value")).toBe(false);
    expect(safeEqual(Buffer.from("x"), "x")).toBe(true);
    expect(safeEqual("", "")).toBe(true);
  });

  test("deriveKey (scrypt) is deterministic per salt and differs across salts", async () => {
    const salt = randomBytes(16);
    const a = await deriveKey("correct horse", salt);
    expect(a).toHaveLength(32);
    expect((await deriveKey("correct horse", salt)).equals(a)).toBe(true);
    expect((await deriveKey("correct horse", randomBytes(16))).equals(a)).toBe(false);
    expect((await deriveKey("correct horsf", salt)).equals(a)).toBe(false);
    await expect(deriveKey("pw", randomBytes(8))).rejects.toThrow(/at least 16 bytes/);
  });
});
