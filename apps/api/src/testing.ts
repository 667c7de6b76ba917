import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { composeApi } from "./compose";
import { type Env, parseEnv } from "./env";

export interface TestServer {
  url: string;
  api: Awaited<ReturnType<typeof composeApi>>;
  stop: () => Promise<void>;
}

/**
 * The variables every test API server gets, in process or as its own
 * process: fresh secrets per server (tests never depend on a key that lives
 * in the repo) and a rate-limit key prefix of its own, so the counters of one
 * test server never leak into another's, even on a shared Redis.
 */
export function testServerEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEYS: `t1:${randomBytes(32).toString("base64")}`,
    RATE_LIMIT_API_POINTS: "100000",
    RATE_LIMIT_KEY_PREFIX: `test:${randomBytes(6).toString("hex")}`,
  };
}

/**
 * The real API on an ephemeral port, for tests in any package: the given
 * database URL must be the app_api login (`createTestDatabase().appUrl`).
 */
export async function startTestServer(options: {
  databaseUrl: string;
  webDist?: string;
  env?: Record<string, string | undefined>;
}): Promise<TestServer> {
  const env: Env = parseEnv({
    ...testServerEnv(options.databaseUrl),
    LOG_LEVEL: "warn",
    ...(options.webDist ? { WEB_DIST: options.webDist } : {}),
    ...options.env,
  });
  const api = await composeApi(env);
  const server = api.app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    stop: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await api.release();
    },
  };
}
