import { Redis, type RedisOptions } from "ioredis";

/**
 * An ioredis client set up for rate limiting: no offline queue (a command
 * during an outage fails at once and the insurance limiter answers instead
 * of the request waiting), one retry, and a command timeout so a hung Redis
 * also fails over. Errors go to `onError` (ioredis would print them otherwise).
 */
export function createRedisClient(
  url: string,
  { onError, ...overrides }: RedisOptions & { onError?: (err: Error) => void } = {},
): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2000,
    ...overrides,
  });
  client.on("error", (err: Error) => onError?.(err));
  return client;
}
