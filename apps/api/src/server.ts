import { createServer } from "node:http";
import { traceHttpRequests } from "@taskmaster/telemetry";
import { composeApi } from "./compose";
import { EnvError, readEnv } from "./env";
import { gracefulShutdown } from "./http/shutdown";

// Telemetry (when enabled) was started by `--import @taskmaster/telemetry/register` before this module.
const UNTRACED = /^\/(metrics|api\/health)(\/|\?|$)/;

async function main() {
  let env: ReturnType<typeof readEnv>;
  try {
    env = readEnv();
  } catch (err) {
    console.error(err instanceof EnvError ? err.message : err);
    process.exit(1);
  }
  const api = await composeApi(env);
  const { logger } = api.deps;
  // Scrapes and health probes are frequent and carry no user work: no spans for them. tRPC queries
  // carry their input (search text, titles, ids) in ?input=, which url.query must not repeat.
  const server = createServer(
    traceHttpRequests(api.app, {
      ignore: (req) => UNTRACED.test(req.url ?? ""),
      redactedQueryParams: ["input"],
    }),
  ).listen(env.PORT, env.HOST);
  server.on("listening", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.PORT;
    logger.info(`TaskMaster API listening on http://localhost:${port}`, { port, version: env.APP_VERSION });
  });
  server.on("error", (err: NodeJS.ErrnoException) => {
    logger.error(
      err.code === "EADDRINUSE" ? `Port ${env.PORT} is already in use: set PORT to a free port.` : err.message,
    );
    process.exit(1);
  });
  // Keep-alive longer than typical load balancer idle timeouts, so they close first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`received ${signal}: shutting down`);
    const code = await gracefulShutdown(server, api.lifecycle, {
      drainMs: api.deps.config.shutdownDrainMs,
      timeoutMs: api.deps.config.shutdownTimeoutMs,
      release: async () => {
        await api.release();
        const telemetry = await import("@taskmaster/telemetry");
        await telemetry.shutdownTelemetry();
      },
      log: (message, meta) => logger.info(message, meta),
    });
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err: Error) => {
  console.error(`TaskMaster API failed to start: ${err.message}`);
  process.exit(1);
});
