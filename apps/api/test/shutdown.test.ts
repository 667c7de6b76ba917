import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "./support/tcp-proxy";

let db: TestDatabase;
let child: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await db?.drop();
});

async function waitFor(url: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

test("SIGTERM with 50 requests in flight: readiness goes 503 first, all complete, exit code 0", async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../src/server.ts")], {
    cwd: path.join(import.meta.dirname, ".."),
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: db.appUrl,
      JWT_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEYS: `s1:${randomBytes(32).toString("base64")}`,
      RATE_LIMIT_API_POINTS: "100000",
      SHUTDOWN_DRAIN_MS: "1500",
      OTEL_SDK_DISABLED: "true",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => output.push(String(d)));
  child.stderr?.on("data", (d) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
  await waitFor(`${base}/api/health/ready`);

  const signUp = await fetch(`${base}/trpc/auth.signUp`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-taskmaster-client": "web", origin: base },
    body: JSON.stringify({ email: "drain@example.com", password: "Correct-Horse-9-battery", displayName: "Drain" }),
  });
  expect(signUp.status).toBe(200);
  const { accessToken } = ((await signUp.json()) as { result: { data: { accessToken: string } } }).result.data;
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
