import type { IncomingMessage, ServerResponse } from "node:http";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { redact } from "@taskmaster/security";
import { routeOf } from "./access-log";
import { tracer } from "./tracing";

type Req = IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };
type Next = (err?: unknown) => void;
type Handler = (req: Req, res: ServerResponse, next: Next) => unknown;

const failure = (err: unknown) => ({
  code: SpanStatusCode.ERROR,
  message: String(redact(err instanceof Error ? err.message : String(err))),
});

/**
 * Gives an Express middleware or route handler its own span, `middleware - {name}`
 * (attributes express.name, express.type, http.route), as a child of the HTTP
 * server span (traceHttpRequests) and parent of what the handler does. The span
 * ends when the handler passes the request on (`next`, with ERROR status for an
 * error) or the response closes. Other middleware gets no span: a dozen per
 * request would cost more than the request itself. Outside a traced request
 * (no active span) the handler runs as it is; error handlers are returned as they are.
 */
export function tracedLayer<H extends (...args: never[]) => unknown>(
  name: string,
  layer: H,
  type: "middleware" | "request_handler" = "middleware",
): H {
  // Express tells error handlers by their four parameters, which a wrapper would hide.
  if (layer.length === 4) return layer;
  const handler = layer as unknown as Handler;
  const spanName = `${type === "middleware" ? "middleware" : "request handler"} - ${name}`;
  const wrapped = function (this: unknown, req: Req, res: ServerResponse, next: Next) {
    const parent = context.active();
    if (trace.getSpan(parent) === undefined) return handler.call(this, req, res, next);
    const route = routeOf(req) ?? "/";
    const span = tracer().startSpan(
      spanName,
      { attributes: { "express.name": name, "express.type": type, "http.route": route } },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      res.removeListener("close", end);
      span.end();
    };
    res.once("close", end);
    const passOn: Next = (err) => {
      if (!ended && err !== undefined && err !== null && err !== "route" && err !== "router") {
        span.setStatus(failure(err));
      }
      end();
      // The next layer is a sibling of this one, not its child.
      return context.with(parent, () => next(err));
    };
    return context.with(trace.setSpan(parent, span), () => {
      try {
        return handler.call(this, req, res, passOn);
      } catch (err) {
        span.setStatus(failure(err));
        end();
        throw err;
      }
    });
  };
  return wrapped as unknown as H;
}
