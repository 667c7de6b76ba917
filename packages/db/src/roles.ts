import { createHmac } from "node:crypto";
import type { Sql } from "postgres";
import { API_LOGIN_ROLE } from "./urls";

/**
 * A password for the API login role that is derived from the admin password,
 * so every process that knows the admin URL agrees on it without storing it.
 * Returns undefined when the admin URL has no password (trust/peer auth):
 * then the login role gets none either.
 */
export function deriveLoginPassword(adminUrl: string): string | undefined {
  const adminPassword = decodeURIComponent(new URL(adminUrl).password);
  if (!adminPassword) return undefined;
  return createHmac("sha256", adminPassword).update(`login-role:${API_LOGIN_ROLE}`).digest("base64url");
}

/** Sets the login role's password; retried because concurrent ALTER ROLEs of one role can collide. */
export async function setLoginPassword(admin: Sql, password: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`alter role ${API_LOGIN_ROLE} with password '${password.replace(/'/g, "''")}'`);
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
