import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { routeOf } from "./access-log";
import { telemetryState } from "./state";
import { tracer } from "./tracing";

export interface HttpServerTracingOptions {
  /** Requests that get no span, and whose work records none either: probes and scrapes. */
  ignore?: (req: IncomingMessage) => boolean;
  /** Query parameters whose values url.query shows as REDACTED (user data travels in them). */
  redactedQueryParams?: readonly string[];
}

// The methods HTTP semantic conventions name; any other is reported as _OTHER.
const KNOWN_METHODS = new Set(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"]);

type Res = ServerResponse & { locals?: Record<string, unknown> };

/**
 * Wraps a Node request listener (an Express app) so each request runs inside
 * an HTTP server span: `{method} {route}`, kind SERVER, with the stable HTTP
 * semantic-convention attributes, parented to an incoming W3C `traceparent`
 * (through the configured propagators), ended when the response closes.
 * Express middleware wrapped with `tracedLayer` and every span the request
 * starts below become its children.
 *
 * This replaces @opentelemetry/instrumentation-http and
 * instrumentation-express on the server side, which cost 9–11 % of the API's
 * throughput for these two spans (docs/capacity.md). Without a running SDK it
 * returns the listener unchanged.
 */
export function traceHttpRequests(listener: RequestListener, options: HttpServerTracingOptions = {}): RequestListener {
  if (!telemetryState().handles) return listener;
  const redacted = new Set(options.redactedQueryParams ?? []);
  return function tracedRequest(this: unknown, req: IncomingMessage, res: ServerResponse) {
    if (options.ignore?.(req)) {
      const suppressed = suppressTracing(context.active());
      return context.with(suppressed, () => {
        context.bind(suppressed, req);
        context.bind(suppressed, res);
        return listener.call(this, req, res);
      });
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const method = KNOWN_METHODS.has(req.method ?? "") ? (req.method as string) : "_OTHER";
    const span = tracer().startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: requestAttributes(req, method, redacted) },
      parent,
    );
    const active = trace.setSpan(parent, span);
    res.once("close", () => {
      const route = routeOf(req);
      // The client as the app resolved it through its trusted proxies, else the socket's peer.
      const clientAddress = (res as Res).locals?.clientIp ?? req.socket.remoteAddress;
      const attributes: Attributes = {};
      if (route) {
        attributes["http.route"] = route;
        span.updateName(`${method} ${route}`);
      }
      if (res.headersSent) attributes["http.response.status_code"] = res.statusCode;
      if (typeof clientAddress === "string") attributes["client.address"] = clientAddress;
      if (!res.writableFinished) {
        // The client went away before the response was complete (the access log's 499).
        attributes["error.type"] = "aborted";
        span.setStatus({ code: SpanStatusCode.ERROR, message: "the connection closed before the response completed" });
      } else if (res.statusCode >= 500) {
        attributes["error.type"] = String(res.statusCode);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.setAttributes(attributes);
      span.end();
    });
    return context.with(active, () => {
      // Listeners on the request and response (body reads, 'finish') run in the request's context.
      context.bind(active, req);
      context.bind(active, res);
      try {
        return listener.call(this, req, res);
      } catch (err) {
        span.recordException(err as Error);
        throw err;
      }
    });
  };
}

function requestAttributes(req: IncomingMessage, method: string, redacted: ReadonlySet<string>): Attributes {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const socket = req.socket;
  const attributes: Attributes = {
    "http.request.method": method,
    "url.scheme": (socket as TLSSocket).encrypted ? "https" : "http",
    "url.path": q === -1 ? url : url.slice(0, q),
    "network.protocol.version": req.httpVersion,
  };
  if (method === "_OTHER") attributes["http.request.method_original"] = req.method;
  if (q !== -1 && q < url.length - 1) attributes["url.query"] = redactQuery(url.slice(q + 1), redacted);
  const host = parseHost(req.headers.host);
  if (host) {
    attributes["server.address"] = host.address;
    if (host.port !== undefined) attributes["server.port"] = host.port;
  }
  if (socket.remoteAddress) {
    attributes["network.peer.address"] = socket.remoteAddress;
    attributes["network.peer.port"] = socket.remotePort;
  }
  const userAgent = req.headers["user-agent"];
  if (userAgent) attributes["user_agent.original"] = userAgent;
  return attributes;
}

/** `a=1&input=...` with the values of the named parameters replaced by REDACTED. */
export function redactQuery(query: string, redacted: ReadonlySet<string>): string {
  if (redacted.size === 0) return query;
  return query
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      if (name.includes("%") || name.includes("+")) {
        try {
          decoded = decodeURIComponent(name.replace(/\+/g, " "));
        } catch {
          // A malformed escape is compared as written.
        }
      }
      return redacted.has(decoded) && eq !== -1 ? `${name}=REDACTED` : pair;
    })
    .join("&");
}

/** Host header → address and port (`[::1]:8080`, `example.com`, `10.0.0.1:80`). */
export function parseHost(header: string | undefined): { address: string; port?: number } | undefined {
  if (!header) return undefined;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(header.trim());
  if (!m?.[1]) return undefined;
  const address = m[1].startsWith("[") ? m[1].slice(1, -1) : m[1];
  return m[2] === undefined ? { address } : { address, port: Number(m[2]) };
}
