export { type AccessLogOptions, accessLog, classifyUserAgent, routeOf, type UserAgentClass } from "./access-log";
export {
  type BudgetConfig,
  type BudgetMonitor,
  type BudgetMonitorOptions,
  type BudgetName,
  type BundleBudgetResult,
  checkBundleBudget,
  createBudgetMonitor,
  DEFAULT_BUDGETS,
} from "./budgets";
export { parseTelemetryEnv, type TelemetryEnv } from "./env";
export { tracedLayer } from "./express-layers";
export { type HttpServerTracingOptions, parseHost, redactQuery, traceHttpRequests } from "./http-server";
export { createLogger, type Logger, type LoggerOptions, type LogLevel } from "./logger";
export {
  DB_DURATION_BUCKETS,
  HTTP_DURATION_BUCKETS,
  type RateLimitOutcome,
  recordBudgetBreach,
  recordHttpServerDuration,
  recordWebVital,
  WEB_VITAL_BUCKETS,
  type WebVitalName,
  type WebVitalRating,
} from "./metrics";
export {
  getRequestId,
  type RequestContext,
  requestContext,
  requestContextMiddleware,
  resolveRequestId,
} from "./request-context";
export {
  type MetricsHandlerOptions,
  type MetricsRequestHandler,
  metricsHandler,
  shutdownTelemetry,
  startTelemetry,
  type TelemetryHandles,
  type TelemetryOptions,
} from "./sdk";
export { type SqlSummary, sanitizeSql, summarizeSql } from "./sql";
export {
  createDbObserver,
  type DbObserver,
  opaqueUserId,
  type ProcedureInfo,
  type ProcedureType,
  rateLimitSpanEvent,
  recordRateLimitDecision,
  traceProcedure,
} from "./tracing";
export {
  MAX_VITALS_PER_BEACON,
  normalizeRoute,
  type VitalsHandlerOptions,
  type VitalsLimiter,
  vitalsBatchSchema,
  vitalsHandler,
  type WebVitalReport,
} from "./vitals";
