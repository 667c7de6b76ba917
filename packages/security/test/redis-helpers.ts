import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll } from "vitest";
import { createRedisClient } from "../src/rate-limit";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const clients: Redis[] = [];

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => (c.status === "ready" ? c.quit() : c.disconnect())));
});

/** A connected client to the real Redis, or a clear failure: these tests never skip. */
export async function connectRedis(url = REDIS_URL): Promise<Redis> {
  const client = createRedisClient(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  clients.push(client);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(
      `Rate-limit tests need a real Redis at ${url} (set REDIS_URL, or start redis-server on 127.0.0.1:6379): ${String(err)}`,
    );
  }
  return client;
}

/** A client to a port where nothing listens: every command fails. */
export function deadRedis(): Redis {
  const client = createRedisClient("redis://127.0.0.1:1", { connectTimeout: 200 });
  clients.push(client);
  return client;
}

/** A key prefix nobody else uses, so runs and tests never share counters. */
export function uniquePrefix(): string {
  return `test:rl:${randomUUID()}`;
}
