import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { hashPassword, needsRehash } from "@taskmaster/security";
import { generate } from "otplib";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../src/testing";
import { browserClient, codeOf, errorOf, strongPassword } from "./support/client";

let db: TestDatabase;
let server: TestServer;
let shortLived: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.appUrl, env: { REFRESH_REUSE_GRACE_SECONDS: "0" } });
  shortLived = await startTestServer({ databaseUrl: db.appUrl, env: { ACCESS_TOKEN_TTL_SECONDS: "3" } });
});
afterAll(async () => {
  await server?.stop();
  await shortLived?.stop();
  await db?.drop();
});

let n = 0;
async function signedUp(base = server.url) {
  const b = browserClient(base);
  const email = `user${++n}@example.com`;
  await b.client.auth.signUp.mutate({ email, password: strongPassword, displayName: `User ${n}` });
  return { ...b, email };
}

describe("refresh tokens", () => {
  test("each refresh rotates the token and keeps the session alive", async () => {
    const { client, jar } = await signedUp();
    const first = jar.get("tm_rt");
    await client.auth.refresh.mutate();
    const second = jar.get("tm_rt");
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    expect((await client.auth.me.query()).email).toMatch(/@example.com$/);
  });

  test("replaying a rotated token revokes the whole family", async () => {
    const { client, jar } = await signedUp();
    const stolen = jar.get("tm_rt") ?? "";
    await client.auth.refresh.mutate(); // the legitimate user rotates
    const thief = browserClient(server.url);
    thief.jar.set("tm_rt", stolen);
    const err = await errorOf(thief.client.auth.refresh.mutate());
    expect(err.data?.code).toBe("UNAUTHORIZED");
    expect(err.message).toMatch(/signed out/);
    // The legitimate user's current token died with the family.
    expect(await codeOf(client.auth.refresh.mutate())).toBe("UNAUTHORIZED");
  });

  test("a made-up refresh token is refused", async () => {
    const b = browserClient(server.url);
    b.jar.set("tm_rt", "A".repeat(43));
    expect(await codeOf(b.client.auth.refresh.mutate())).toBe("UNAUTHORIZED");
  });
});

describe("access tokens", () => {
  // Tokens carry whole seconds: with a 3 s lifetime a token is valid for at least 2 s and dead after 3.3 s.
  test("an expired access token is rejected and a refresh restores access", async () => {
    const { client } = await signedUp(shortLived.url);
    expect((await client.auth.me.query()).displayName).toMatch(/^User/);
    await new Promise((r) => setTimeout(r, 3_300));
    expect(await codeOf(client.auth.me.query())).toBe("UNAUTHORIZED");
    await client.auth.refresh.mutate();
    expect((await client.auth.me.query()).displayName).toMatch(/^User/);
  });

  test("a token signed with another secret is rejected", async () => {
    const { jar } = await signedUp(shortLived.url);
    const forged = browserClient(server.url);
    forged.jar.set("tm_at", jar.get("tm_at") ?? "");
    expect(await codeOf(forged.client.auth.me.query())).toBe("UNAUTHORIZED");
  });
});

describe("sessions", () => {
  test("changing the password revokes every other session", async () => {
    const phone = await signedUp();
    const laptop = browserClient(server.url);
    await laptop.client.auth.signIn.mutate({ email: phone.email, password: strongPassword });
    expect(await phone.client.auth.sessions.list.query()).toHaveLength(2);
    const result = await phone.client.auth.changePassword.mutate({
      currentPassword: strongPassword,
      newPassword: "Another-strong-pass-7",
    });
    expect(result.revokedSessions).toBe(1);
    expect(await codeOf(laptop.client.auth.refresh.mutate())).toBe("UNAUTHORIZED");
    const sessions = await phone.client.auth.sessions.list.query();
    expect(sessions.map((s) => s.current)).toEqual([true]);
    expect(
      await codeOf(
        browserClient(server.url).client.auth.signIn.mutate({ email: phone.email, password: strongPassword }),
      ),
    ).toBe("UNAUTHORIZED");
  });

  test("a session can be revoked from another device, and sign-out everywhere ends all", async () => {
    const a = await signedUp();
    const b = browserClient(server.url);
    await b.client.auth.signIn.mutate({ email: a.email, password: strongPassword });
    const other = (await a.client.auth.sessions.list.query()).find((s) => !s.current);
    await a.client.auth.sessions.revoke.mutate({ id: other?.id ?? "" });
    expect(await codeOf(b.client.auth.refresh.mutate())).toBe("UNAUTHORIZED");
    await a.client.auth.signOut.mutate({ everywhere: true });
    expect(await codeOf(a.client.auth.refresh.mutate())).toBe("UNAUTHORIZED");
  });

  test("a revoked session loses access on its next request, not when its access token expires", async () => {
    const a = await signedUp();
    const b = browserClient(server.url);
    await b.client.auth.signIn.mutate({ email: a.email, password: strongPassword });
    expect(await b.client.projects.list.query()).toEqual([]);
    const other = (await a.client.auth.sessions.list.query()).find((s) => !s.current);
    await a.client.auth.sessions.revoke.mutate({ id: other?.id ?? "" });
    // b still holds a perfectly valid, unexpired access token.
    const err = await errorOf(b.client.projects.list.query());
    expect(err.data?.code).toBe("UNAUTHORIZED");
    expect(err.message).toMatch(/signed out/);
    expect(await codeOf(b.client.auth.me.query())).toBe("UNAUTHORIZED");
    // The session that did the revoking is unaffected.
    expect(await a.client.projects.list.query()).toEqual([]);
  });

  test("changing the password ends the other sessions' access at once", async () => {
    const a = await signedUp();
    const b = browserClient(server.url);
    await b.client.auth.signIn.mutate({ email: a.email, password: strongPassword });
    await a.client.auth.changePassword.mutate({ currentPassword: strongPassword, newPassword: "Brand-new-pass-42!" });
    expect(await codeOf(b.client.tasks.list.query({ projectId: "00000000-0000-4000-8000-000000000000" }))).toBe(
      "UNAUTHORIZED",
    );
    expect((await a.client.auth.me.query()).email).toBe(a.email);
  });

  test("wrong password and unknown email get the same answer", async () => {
    const a = await signedUp();
    const wrong = await errorOf(
      browserClient(server.url).client.auth.signIn.mutate({ email: a.email, password: "Wrong-pass-1!" }),
    );
    const unknown = await errorOf(
      browserClient(server.url).client.auth.signIn.mutate({ email: "nobody@example.com", password: "Wrong-pass-1!" }),
    );
    expect([wrong.data?.code, wrong.message]).toEqual([unknown.data?.code, unknown.message]);
  });
});

describe("password hashes", () => {
  test("signing in upgrades a hash made with outdated argon2 parameters", async () => {
    const a = await signedUp();
    const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const weak = await hashPassword(strongPassword, { memoryCost: 8192, timeCost: 1, parallelism: 1 });
      await admin`update users set password_hash = ${weak} where email = ${a.email}`;
      expect(needsRehash(weak)).toBe(true);
      const res = await browserClient(server.url).client.auth.signIn.mutate({
        email: a.email,
        password: strongPassword,
      });
      expect(res.status).toBe("ok");
      const [row] = await admin`select password_hash from users where email = ${a.email}`;
      expect(row?.password_hash).not.toBe(weak);
      expect(needsRehash(String(row?.password_hash))).toBe(false);
    } finally {
      await admin.end();
    }
  });
});

describe("MFA", () => {
  test("after enrolment, sign-in needs a valid TOTP code", async () => {
    const a = await signedUp();
    const { secret, otpauthUrl } = await a.client.auth.mfa.enroll.mutate();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(await codeOf(a.client.auth.mfa.verify.mutate({ code: "000000" }))).toBe("BAD_REQUEST");
    await a.client.auth.mfa.verify.mutate({ code: await generate({ secret }) });
    expect((await a.client.auth.me.query()).mfaEnabled).toBe(true);

    const b = browserClient(server.url).client;
    expect(await b.auth.signIn.mutate({ email: a.email, password: strongPassword })).toEqual({
      status: "mfa_required",
    });
    expect(await codeOf(b.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(b.auth.signIn.mutate({ email: a.email, password: strongPassword, totp: "000000" }))).toBe(
      "UNAUTHORIZED",
    );
    const ok = await b.auth.signIn.mutate({
      email: a.email,
      password: strongPassword,
      totp: await generate({ secret }),
    });
    expect(ok.status).toBe("ok");
    expect((await b.auth.me.query()).email).toBe(a.email);

    await a.client.auth.mfa.disable.mutate({ code: await generate({ secret }) });
    expect(
      (await browserClient(server.url).client.auth.signIn.mutate({ email: a.email, password: strongPassword })).status,
    ).toBe("ok");
  });
});
