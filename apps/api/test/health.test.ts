import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../src/testing";
import { tcpProxy } from "./support/tcp-proxy";

let db: TestDatabase;
let proxy: Awaited<ReturnType<typeof tcpProxy>>;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.appUrl);
  proxy = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  server = await startTestServer({ databaseUrl: url.toString() });
});
afterAll(async () => {
  await server?.stop();
  await proxy?.close();
  await db?.drop();
});

interface ServiceHealth {
  status: string;
  latencyMs: number;
  rssBytes: number;
  totalBytes: number;
  freeBytes: number;
}
interface HealthBody {
  status: string;
  version: string;
  uptimeSeconds: number;
  services: Record<"database" | "memory" | "disk", ServiceHealth>;
}

const health = async (path = "/api/health") => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as HealthBody };
};

describe("health", () => {
  test("reports measured figures for every service", async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toMatch(/healthy|degraded/);
    expect(body.services.database.status).toBe("healthy");
    expect(body.services.database.latencyMs).toBeGreaterThan(0);
    expect(body.services.memory.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(body.services.disk.totalBytes).toBeGreaterThan(body.services.disk.freeBytes);
    expect(body.services.disk.freeBytes).toBeGreaterThan(0);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(body.version).toBeTruthy();
  });

  test("answers 503 with database unhealthy while Postgres is unreachable, and recovers by itself", async () => {
    await proxy.cut();
    try {
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body.status).toBe("unhealthy");
      expect(down.body.services.database.status).toBe("unhealthy");
      expect((await health("/api/health/ready")).status).toBe(503);
      expect((await health("/api/health/live")).status).toBe(200);
    } finally {
      await proxy.restore();
    }
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 200; i++) {
      recovered = (await health()).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(200);
    expect((await health("/api/health/ready")).status).toBe(200);
  });

  test("health endpoints are never rate limited", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 150 }, () => fetch(`${server.url}/api/health/live`).then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
