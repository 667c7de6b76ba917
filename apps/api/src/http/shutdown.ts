import type { Server } from "node:http";
import type { Lifecycle } from "./health";

export interface ShutdownOptions {
  /** How long readiness reports 503 before the listener closes (load balancer deregistration). */
  drainMs: number;
  /** Hard bound for in-flight requests; afterwards remaining connections are cut. */
  timeoutMs: number;
  /** Releases the pool, Redis and telemetry once no request is running. */
  release: () => Promise<void>;
  log: (message: string, meta?: Record<string, unknown>) => void;
}

/**
 * SIGTERM handling: readiness flips to 503 at once, then the listener stops
 * accepting, in-flight requests finish (bounded), then dependencies close.
 * Resolves with the exit code: 0 when everything drained in time, 1 otherwise.
 */
export async function gracefulShutdown(
  server: Server,
  lifecycle: Lifecycle,
  options: ShutdownOptions,
): Promise<number> {
  lifecycle.ready = false;
  options.log("shutdown: readiness is now 503", { drainMs: options.drainMs });
  if (options.drainMs > 0) await new Promise((r) => setTimeout(r, options.drainMs));
  let timedOut = false;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would otherwise hold close() open until they time out.
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = new Promise<void>((resolve) =>
    setTimeout(() => {
      timedOut = true;
      server.closeAllConnections();
      resolve();
    }, options.timeoutMs).unref(),
  );
  await Promise.race([closed, deadline]);
  clearInterval(idleSweep);
  options.log(timedOut ? "shutdown: in-flight requests cut after timeout" : "shutdown: all requests finished");
  try {
    await options.release();
  } catch (err) {
    options.log("shutdown: releasing dependencies failed", { error: (err as Error).message });
    return 1;
  }
  return timedOut ? 1 : 0;
}
