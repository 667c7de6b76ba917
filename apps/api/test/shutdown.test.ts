import type { ChildProcess } from "node:child_process";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { signUpForToken, startServerProcess } from "./support/server-process";

let db: TestDatabase;
let child: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await db?.drop();
});

test("SIGTERM with 50 requests in flight: readiness goes 503 first, all complete, exit code 0", async () => {
  const server = await startServerProcess({ databaseUrl: db.appUrl, env: { SHUTDOWN_DRAIN_MS: "1500" } });
  child = server.child;
  const { base, output, exited } = server;
  const accessToken = await signUpForToken(base, "drain@example.com");
  const auth = { authorization: `Bearer ${accessToken}`, "x-taskmaster-client": "web" };
  const created = await fetch(`${base}/trpc/projects.create`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json", origin: base },
    body: JSON.stringify({ name: "Drain" }),
  });
  const projectId = ((await created.json()) as { result: { data: { id: string } } }).result.data.id;

  // Hold every tasks query on a table lock so 50 requests are truly in flight during SIGTERM.
  const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  const locked = admin.begin(async (tx) => {
    await tx`lock table tasks in access exclusive mode`;
    await new Promise((r) => setTimeout(r, 2_500));
  });
  await new Promise((r) => setTimeout(r, 200));
  const input = encodeURIComponent(JSON.stringify({ projectId }));
  const inFlight = Array.from({ length: 50 }, () =>
    fetch(`${base}/trpc/tasks.list?input=${input}`, { headers: auth }).then((r) => r.status),
  );
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 200));
  const ready = await fetch(`${base}/api/health/ready`);
  expect(ready.status).toBe(503);

  await locked;
  await admin.end();
  const statuses = await Promise.all(inFlight);
  expect(statuses.filter((s) => s === 200)).toHaveLength(50);
  expect(await exited).toBe(0);
  expect(output.join("")).toMatch(/all requests finished/);
}, 60_000);
