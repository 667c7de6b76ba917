import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { BudgetMonitor } from "./budgets";
import { recordWebVital, type WebVitalName } from "./metrics";
import { recordRateLimitDecision } from "./tracing";

export const MAX_VITALS_PER_BEACON = 50;

const vitalSchema = z
  .object({
    name: z.enum(["LCP", "INP", "CLS", "FCP", "TTFB"]),
    value: z.number().finite().min(0),
    rating: z.enum(["good", "needs-improvement", "poor"]),
    id: z.string().min(1).max(100),
    navigationType: z.string().max(32).optional(),
    route: z
      .string()
      .min(1)
      .max(200)
      .regex(/^\/[^?#\s]*$/, "must be a path starting with / (no query string, fragment or spaces)"),
  })
  .strict()
  .superRefine((v, ctx) => {
    const max = v.name === "CLS" ? 10 : 600_000;
    if (v.value > max) ctx.addIssue({ code: "custom", path: ["value"], message: `${v.name} must be at most ${max}` });
  });

/** The beacon body: one web-vitals metric or an array of up to 50. */
export const vitalsBatchSchema = z.preprocess(
  // Wrapping (rather than a union) keeps zod's issue paths precise, e.g. "3.name".
  (body) => (Array.isArray(body) ? body : [body]),
  z.array(vitalSchema).min(1).max(MAX_VITALS_PER_BEACON),
);
export type WebVitalReport = z.output<typeof vitalSchema>;

const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-z_-]{20,})$/i;

/** Replaces id-like path segments by `:id`, so /projects/<uuid> and /projects/<uuid2> share one label. */
export function normalizeRoute(path: string): string {
  const segments = path.split("/").map((s) => (ID_SEGMENT.test(s) ? ":id" : s.toLowerCase()));
  const joined = segments.join("/").replace(/\/+$/, "");
  return joined || "/";
}

export type VitalsLimiter = (ip: string) => Promise<boolean | { retryAfter: number }>;

export interface VitalsHandlerOptions {
  /** Per-IP limiter: true allows, false or { retryAfter } (seconds) rejects with 429. */
  limiter?: VitalsLimiter;
  /** Cap on the raw body; larger bodies get 413 without being read further. */
  maxBytes?: number;
  /** Receives each accepted vital for the budgets. */
  budgets?: Pick<BudgetMonitor, "observeVital">;
  /** Maps a reported path to the route label; defaults to normalizeRoute. */
  normalizeRoute?: (path: string) => string;
  /** Distinct route labels kept; beyond it routes are recorded as "(other)" (the body is client-controlled). */
  maxRoutes?: number;
  /** Name of the rate-limit policy in taskmaster.ratelimit.decisions. */
  policy?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly issues?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

type Req = IncomingMessage & { ip?: string; body?: unknown };

function readBody(req: Req, maxBytes: number): Promise<string> {
  // A body parser mounted earlier may have consumed the stream already.
  if (req.readableEnded || (req as { _body?: boolean })._body) {
    const body = req.body;
    const text = typeof body === "string" ? body : Buffer.isBuffer(body) ? body.toString("utf8") : JSON.stringify(body);
    if (text === undefined) return Promise.reject(new HttpError(400, "invalid_vitals", "empty body"));
    if (Buffer.byteLength(text) > maxBytes) return Promise.reject(tooLarge(maxBytes));
    return Promise.resolve(text);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        // Keep draining (not buffering) so the 413 can be written; the connection is closed after it.
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

const tooLarge = (maxBytes: number) => new HttpError(413, "payload_too_large", `beacon body exceeds ${maxBytes} bytes`);

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = status;
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

/**
 * Handler for `POST /api/vitals` (Express or node:http): accepts
 * navigator.sendBeacon bodies (text/plain or application/json), validates the
 * whole batch before recording anything, records each vital in
 * taskmaster.webvitals.<name>{route, rating} and feeds the budgets.
 * 204 on success; 400 malformed, 413 oversize, 415 other content types, 429 limited.
 */
export function vitalsHandler(options: VitalsHandlerOptions = {}) {
  const maxBytes = options.maxBytes ?? 16_384;
  const normalize = options.normalizeRoute ?? normalizeRoute;
  const maxRoutes = options.maxRoutes ?? 200;
  const policy = options.policy ?? "vitals";
  const knownRoutes = new Set<string>();

  const routeLabel = (path: string) => {
    const label = normalize(path);
    if (knownRoutes.has(label)) return label;
    if (knownRoutes.size >= maxRoutes) return "(other)";
    knownRoutes.add(label);
    return label;
  };

  return async (req: Req, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== "POST") {
        throw new HttpError(405, "method_not_allowed", "use POST");
      }
      const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
      if (type && type !== "text/plain" && type !== "application/json") {
        throw new HttpError(415, "unsupported_media_type", "send text/plain or application/json");
      }
      const declared = Number(req.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);

      if (options.limiter) {
        let decision: boolean | { retryAfter: number };
        try {
          decision = await options.limiter(req.ip ?? req.socket.remoteAddress ?? "unknown");
        } catch {
          recordRateLimitDecision(policy, "error");
          throw new HttpError(503, "rate_limiter_unavailable", "try again later");
        }
        if (decision !== true) {
          recordRateLimitDecision(policy, "limited");
          const retryAfter = typeof decision === "object" ? Math.max(1, Math.ceil(decision.retryAfter)) : 60;
          req.resume();
          send(res, 429, { error: "rate_limited", message: "too many beacons" }, { "retry-after": String(retryAfter) });
          return;
        }
        recordRateLimitDecision(policy, "allowed");
      }

      const text = await readBody(req, maxBytes);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new HttpError(400, "invalid_vitals", "body is not valid JSON");
      }
      const parsed = vitalsBatchSchema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message }));
        throw new HttpError(400, "invalid_vitals", "the beacon does not match the web-vitals batch shape", issues);
      }
      // Everything validated: only now is anything recorded.
      for (const vital of parsed.data) {
        recordWebVital(vital.name as WebVitalName, vital.value, {
          route: routeLabel(vital.route),
          rating: vital.rating,
        });
        options.budgets?.observeVital(vital.name, vital.value);
      }
      send(res, 204);
    } catch (err) {
      if (err instanceof HttpError) {
        const headers: Record<string, string> = err.status === 413 ? { connection: "close" } : {};
        if (err.status === 405) headers.allow = "POST";
        send(res, err.status, { error: err.error, message: err.message, issues: err.issues }, headers);
        return;
      }
      send(res, 400, { error: "invalid_vitals", message: "could not read the beacon" });
    }
  };
}
