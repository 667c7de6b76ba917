import { existsSync } from "node:fs";
import path from "node:path";
import {
  clientIp,
  corsPolicy,
  csrfGuard,
  httpsRedirect,
  jsonBodyGuard,
  requestId,
  safeEqual,
  securityHeaders,
} from "@taskmaster/security";
import { tracedLayer } from "@taskmaster/telemetry";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import cookieParser from "cookie-parser";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import { contextFactory } from "./context";
import type { ApiDeps } from "./deps";
import { healthRouter, type Lifecycle } from "./http/health";
import { pipeline } from "./http/pipeline";
import { describeError } from "./lib/describe-error";
import { appRouter } from "./routers";

/** Express-level hooks the composition root fills in (telemetry, global rate limit, vitals). */
export interface AppHooks {
  /** Runs first, around the whole request (request context for logs, access log). */
  before?: RequestHandler[];
  /** The global per-IP limiter; health endpoints are mounted before it. */
  globalRateLimit?: RequestHandler;
  /** GET /metrics (Prometheus text). */
  metrics?: RequestHandler;
  /** POST /api/vitals (Web Vitals beacons). */
  vitals?: RequestHandler;
}

const MAX_BATCH_SIZE = 20;

/**
 * Builds the app without listening and without globals, so tests can mount
 * it on an ephemeral port.
 */
export function createApp(deps: ApiDeps, lifecycle: Lifecycle, hooks: AppHooks = {}): Express {
  const { config } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false); // client IPs come from the security package's explicit trusted-proxy check

  // Few layers on purpose: see pipeline(). Order follows the request path in SPEC §1.
  app.use(
    pipeline("edge", [
      requestId(),
      (req, res, next) => {
        res.locals.clientIp = clientIp(req, config.trustedProxies);
        next();
      },
      ...(hooks.before ?? []),
      securityHeaders({ upgradeInsecureRequests: config.production }),
    ]),
  );
  // Probes and scrapes come over plain HTTP from inside the cluster: a 301 would count as "up"
  // to a kubelet and break the Prometheus scrape. /metrics is protected by its bearer token.
  app.use("/api/health", healthRouter(deps, lifecycle));
  if (hooks.metrics) app.get("/metrics", metricsAuth(config.metricsToken), hooks.metrics);
  app.use(
    pipeline("guards", [
      httpsRedirect({ enabled: config.production, trustedProxies: config.trustedProxies }),
      corsPolicy({ allowedOrigins: config.allowedOrigins }),
      ...(hooks.globalRateLimit ? [hooks.globalRateLimit] : []),
    ]),
  );
  if (hooks.vitals) app.post("/api/vitals", tracedLayer("vitals", hooks.vitals, "request_handler"));

  app.use(
    "/trpc",
    pipeline("trpc guards", [
      cookieParser(),
      csrfGuard({ allowedOrigins: config.allowedOrigins, header: "x-taskmaster-client" }),
      jsonBodyGuard({ limit: config.bodyLimitBytes }),
    ]),
    tracedLayer(
      "trpc",
      createExpressMiddleware({
        router: appRouter,
        createContext: contextFactory(deps),
        maxBatchSize: MAX_BATCH_SIZE,
        onError({ error, path, ctx }) {
          if (error.code === "INTERNAL_SERVER_ERROR") {
            deps.logger.error("procedure failed", {
              path,
              requestId: ctx?.requestId,
              error: describeError(error.cause ?? error),
            });
          }
        },
      }),
    ),
  );

  if (config.webDist && existsSync(path.join(config.webDist, "index.html"))) {
    const dist = config.webDist;
    // Hashed assets are immutable; index.html must always be revalidated to pick up new builds.
    app.use("/assets", express.static(path.join(dist, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(dist, { index: false, maxAge: 0 }));
    app.get(/^\/(?!api\/|trpc\/|metrics$).*/, (_req, res) => {
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(path.join(dist, "index.html"));
    });
  }

  app.use((_req, res) => {
    res.status(404).json({ error: "Not found", requestId: res.locals.requestId });
  });
  app.use(errorHandler(deps));
  return app;
}

function metricsAuth(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!token || safeEqual(req.get("authorization") ?? "", `Bearer ${token}`)) return next();
    res.status(401).setHeader("WWW-Authenticate", "Bearer").json({ error: "Metrics require a bearer token." });
  };
}

/** Last resort: a JSON error with the request id, never a stack trace or SQL. */
function errorHandler(deps: ApiDeps): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500)
      deps.logger.error("request failed", { requestId: res.locals.requestId, error: describeError(err) });
    if (res.headersSent) return;
    res.status(status).json({
      error: status >= 500 ? "Internal server error" : String(err?.expose ? err.message : "Bad request"),
      requestId: res.locals.requestId,
    });
  };
}
