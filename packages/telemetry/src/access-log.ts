import type { IncomingMessage, ServerResponse } from "node:http";
import type { BudgetMonitor } from "./budgets";
import type { Logger } from "./logger";
import { recordHttpServerDuration } from "./metrics";
import { getRequestId } from "./request-context";

export type UserAgentClass = "browser" | "bot" | "cli" | "other";

const BOT = /bot\b|crawl|spider|slurp|bingpreview|facebookexternalhit|headlesschrome|lighthouse|monitor|uptime/i;
const CLI =
  /^(curl|wget|httpie|python-requests|python-urllib|aiohttp|go-http-client|node-fetch|undici|axios|got|okhttp|java|postmanruntime|insomnia|autocannon|k6|hey|wrk|apachebench|libwww-perl)\b|^node$/i;

/** Coarse class of a User-Agent: logs get the class, never the full string. */
export function classifyUserAgent(ua: string | undefined): UserAgentClass {
  if (!ua) return "other";
  if (BOT.test(ua)) return "bot";
  if (CLI.test(ua)) return "cli";
  if (/^Mozilla\/5\.0 /.test(ua)) return "browser";
  return "other";
}

type Req = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/**
 * The route template, never the concrete path or query: `baseUrl + route.path`
 * when a route matched, the mount path (e.g. /trpc) for mounted handlers,
 * undefined for unmatched requests (so 404 scans cannot blow up cardinality).
 */
export function routeOf(req: Req): string | undefined {
  const base = req.baseUrl ?? "";
  const path = req.route?.path;
  // A router mounted at /api/health serves its "/" route as /api/health, not /api/health/.
  if (typeof path === "string") return (path === "/" && base ? base : `${base}${path}`) || "/";
  return base || undefined;
}

export interface AccessLogOptions {
  /** Receives each request's duration for the API p95 budget. */
  budgets?: Pick<BudgetMonitor, "observeRequestDuration">;
}

/**
 * Express middleware, mounted first: on each finished (or aborted) response it
 * records http.server.request.duration{http.request.method, http.route,
 * http.response.status_code} and writes one access line — method, route,
 * status, duration_ms, user_agent_class, request_id. No bodies, cookies,
 * query strings or raw user agents.
 */
export function accessLog(logger: Logger, options: AccessLogOptions = {}) {
  return (req: Req, res: ServerResponse, next: (err?: unknown) => void): void => {
    const start = process.hrtime.bigint();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = routeOf(req);
      // A response the client abandoned is logged as 499 (nginx's convention); nothing was sent.
      const status = res.writableFinished ? res.statusCode : 499;
      const method = req.method ?? "GET";
      recordHttpServerDuration(seconds, { method, route, statusCode: status });
      options.budgets?.observeRequestDuration(seconds);
      const level = status >= 500 ? "warn" : "info";
      // winston formats a record (redaction, JSON) before its transports drop it for its level.
      if (!logger.isLevelEnabled(level)) return;
      logger.log(level, "request", {
        method,
        route: route ?? "(unmatched)",
        status,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
        user_agent_class: classifyUserAgent(req.headers["user-agent"]),
        request_id: getRequestId() ?? res.getHeader("x-request-id"),
      });
    };
    res.once("finish", finish);
    res.once("close", finish);
    next();
  };
}
