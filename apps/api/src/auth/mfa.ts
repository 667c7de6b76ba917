import { generateSecret, generateURI, verify } from "otplib";
import type { FieldCipher } from "../deps";

const secretAad = (userId: string) => ({ table: "users", column: "mfa_secret", rowId: userId });

export function newMfaSecret(email: string, cipher: FieldCipher, userId: string) {
  const secret = generateSecret();
  return {
    secret,
    encrypted: cipher.encrypt(secret, secretAad(userId)),
    otpauthUrl: generateURI({ issuer: "TaskMaster Pro", label: email, secret }),
  };
}

/** Checks a TOTP code against the user's stored (encrypted) secret, allowing one step of clock drift. */
export async function verifyTotp(encryptedSecret: string, code: string, cipher: FieldCipher, userId: string) {
  const secret = cipher.decrypt(encryptedSecret, secretAad(userId));
  const result = await verify({ secret, token: code, epochTolerance: 30 });
  return result.valid;
}
