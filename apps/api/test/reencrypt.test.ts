import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { createFieldCipher, parseKeyring } from "@taskmaster/security";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { reencryptAll } from "../src/maintenance/reencrypt";
import { startTestServer } from "../src/testing";
import { browserClient, strongPassword } from "./support/client";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test("key rotation: after re-encryption the old key can be dropped and everything still decrypts", async () => {
  const oldKey = `k1:${randomBytes(32).toString("base64")}`;
  const newKey = `k2:${randomBytes(32).toString("base64")}`;
  const jwt = randomBytes(32).toString("hex");

  const before = await startTestServer({ databaseUrl: db.appUrl, env: { ENCRYPTION_KEYS: oldKey, JWT_SECRET: jwt } });
  const user = browserClient(before.url);
  await user.client.auth.signUp.mutate({ email: "rotate@example.com", password: strongPassword, displayName: "R" });
  const notes = [];
  for (let i = 0; i < 7; i++)
    notes.push(await user.client.notes.create.mutate({ title: `n${i}`, body: `secret body ${i}` }));
  await user.client.auth.mfa.enroll.mutate();
  await before.stop();

  const admin = postgres(db.adminUrl, { max: 2, onnotice: () => {} });
  try {
    const reports = await reencryptAll(admin, createFieldCipher(parseKeyring(`${newKey},${oldKey}`)), { batchSize: 3 });
    expect(reports).toEqual([
      { table: "notes", column: "body", scanned: 7, rotated: 7 },
      { table: "users", column: "mfa_secret", scanned: 1, rotated: 1 },
    ]);
    const keyIds =
      await admin`select split_part(body, '.', 2) as k from notes union all select split_part(mfa_secret, '.', 2) from users where mfa_secret is not null`;
    expect(new Set(keyIds.map((r) => r.k))).toEqual(new Set(["k2"]));
    // Running it again finds nothing left to do.
    const again = await reencryptAll(admin, createFieldCipher(parseKeyring(`${newKey},${oldKey}`)));
    expect(again.map((r) => r.rotated)).toEqual([0, 0]);
  } finally {
    await admin.end();
  }

  const after = await startTestServer({ databaseUrl: db.appUrl, env: { ENCRYPTION_KEYS: newKey, JWT_SECRET: jwt } });
  try {
    const reader = browserClient(after.url);
    for (const [k, v] of user.jar) reader.jar.set(k, v);
    for (const n of notes) expect((await reader.client.notes.get.query({ id: n.id })).body).toBe(n.body);
  } finally {
    await after.stop();
  }
});
