import { createServer, type RequestListener, request } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  parseHost,
  redactQuery,
  shutdownTelemetry,
  startTelemetry,
  tracedLayer,
  traceHttpRequests,
} from "../src/index";

const exporter = new InMemorySpanExporter();

async function serve(listener: RequestListener, fn: (base: string) => Promise<void>): Promise<ReadableSpan[]> {
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    // Spans end on the response's 'close', just after the client has the response.
    await new Promise((r) => setTimeout(r, 30));
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  return exporter.getFinishedSpans();
}

const serverSpans = (spans: ReadableSpan[]) => spans.filter((s) => s.kind === SpanKind.SERVER);

describe("traceHttpRequests without a running SDK", () => {
  it("returns the listener itself: no wrapper, no cost", () => {
    const listener: RequestListener = (_req, res) => res.end();
    expect(traceHttpRequests(listener)).toBe(listener);
  });
});

describe("HTTP server spans", () => {
  beforeAll(async () => {
    await startTelemetry({ env: {}, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  });
  afterAll(() => shutdownTelemetry());
  beforeEach(() => exporter.reset());

  function app() {
    const a = express();
    a.use((_req, res, next) => {
      // What the API's edge middleware does: the client as resolved through trusted proxies.
      res.locals.clientIp = "203.0.113.7";
      next();
    });
    a.get(
      "/items/:id",
      tracedLayer(
        "items",
        (req: express.Request, res: express.Response) => {
          trace.getTracer("test").startActiveSpan("work", (span) => {
            span.end();
            res.status(req.params.id === "broken" ? 503 : 200).json({ id: req.params.id });
          });
        },
        "request_handler",
      ),
    );
    a.use("/api", (_req, res, next) => {
      res.setHeader("x-seen", "1");
      next();
    });
    a.get("/health", (_req, res) => {
      trace.getTracer("test").startActiveSpan("health.check", (span) => {
        res.json({ recording: span.isRecording() });
        span.end();
      });
    });
    return a;
  }
  const traced = () =>
    traceHttpRequests(app(), { ignore: (req) => req.url === "/health", redactedQueryParams: ["input"] });

  it("records one SERVER span per request, named after the route, with the stable HTTP attributes", async () => {
    const spans = await serve(traced(), async (base) => {
      const res = await fetch(`${base}/items/42?input=%7B%22secret%22%3A1%7D&page=2`, {
        headers: { "user-agent": "test-agent/1.0" },
      });
      expect(res.status).toBe(200);
    });
    const [server] = serverSpans(spans);
    expect(serverSpans(spans)).toHaveLength(1);
    expect(server?.name).toBe("GET /items/:id");
    expect(server?.status.code).toBe(SpanStatusCode.UNSET);
    expect(server?.attributes).toMatchObject({
      "http.request.method": "GET",
      "http.route": "/items/:id",
      "http.response.status_code": 200,
      "url.scheme": "http",
      "url.path": "/items/42",
      // A tRPC query's input is user data: the span keeps that there was one, not what it said.
      "url.query": "input=REDACTED&page=2",
      "server.address": "127.0.0.1",
      "network.peer.address": "127.0.0.1",
      "network.protocol.version": "1.1",
      "client.address": "203.0.113.7",
      "user_agent.original": "test-agent/1.0",
    });
    expect(typeof server?.attributes["server.port"]).toBe("number");
    expect(JSON.stringify(server?.attributes)).not.toContain("secret");
  });

  it("parents the Express layer span to the server span, and the handler's work to the layer", async () => {
    const spans = await serve(traced(), async (base) => {
      await (await fetch(`${base}/items/1`)).json();
    });
    const [server] = serverSpans(spans);
    const layer = spans.find((s) => s.name === "request handler - items");
    const work = spans.find((s) => s.name === "work");
    expect(layer?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(layer?.attributes).toMatchObject({
      "express.name": "items",
      "express.type": "request_handler",
      "http.route": "/items/:id",
    });
    expect(work?.parentSpanContext?.spanId).toBe(layer?.spanContext().spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it("continues the caller's trace from an incoming traceparent header", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentId = "00f067aa0ba902b7";
    const spans = await serve(traced(), async (base) => {
      await fetch(`${base}/items/1`, { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    });
    const [server] = serverSpans(spans);
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext?.spanId).toBe(parentId);
    expect(server?.parentSpanContext?.isRemote).toBe(true);
  });

  it("marks 5xx responses as errors with error.type, and leaves 4xx (the client's fault) unset", async () => {
    const spans = await serve(traced(), async (base) => {
      expect((await fetch(`${base}/items/broken`)).status).toBe(503);
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    });
    const failed = serverSpans(spans).find((s) => s.attributes["http.response.status_code"] === 503);
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes["error.type"]).toBe("503");
    const missing = serverSpans(spans).find((s) => s.attributes["http.response.status_code"] === 404);
    expect(missing?.status.code).toBe(SpanStatusCode.UNSET);
    // No route matched: the name stays the bare method, so scans cannot create a span name per URL.
    expect(missing?.name).toBe("GET");
    expect(missing?.attributes["http.route"]).toBeUndefined();
  });

  it("records nothing for ignored requests, not even spans started below them", async () => {
    const spans = await serve(traced(), async (base) => {
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ recording: false });
    });
    expect(spans).toEqual([]);
  });

  it("marks a response the client abandoned as an error of type aborted", async () => {
    const listener = traceHttpRequests((_req, _res) => {
      // Never answers: the client gives up.
    });
    const spans = await serve(listener, async (base) => {
      await new Promise<void>((resolve) => {
        const req = request(`${base}/slow`, () => {});
        req.on("error", () => resolve());
        req.end();
        setTimeout(() => req.destroy(), 50);
      });
    });
    const [server] = serverSpans(spans);
    expect(server?.attributes["error.type"]).toBe("aborted");
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    expect(server?.attributes["http.response.status_code"]).toBeUndefined();
  });

  it("reports a method outside the HTTP standard as _OTHER with the original beside it", async () => {
    const spans = await serve(
      traceHttpRequests((_req, res) => res.end()),
      async (base) => {
        await new Promise<void>((resolve, reject) => {
          const req = request(`${base}/dav`, { method: "PROPFIND" }, (res) => {
            res.resume();
            res.on("end", resolve);
          });
          req.on("error", reject);
          req.end();
        });
      },
    );
    const [server] = serverSpans(spans);
    expect(server?.name).toBe("_OTHER");
    expect(server?.attributes["http.request.method"]).toBe("_OTHER");
    expect(server?.attributes["http.request.method_original"]).toBe("PROPFIND");
  });

  it("ends a layer's span when it passes the request on, so the next layer is its sibling", async () => {
    const a = express();
    a.use(tracedLayer("first", (_req: express.Request, _res: express.Response, next: express.NextFunction) => next()));
    a.use(tracedLayer("second", (_req: express.Request, res: express.Response) => res.end()));
    const spans = await serve(traceHttpRequests(a), async (base) => {
      await fetch(`${base}/x`);
    });
    const [server] = serverSpans(spans);
    const first = spans.find((s) => s.name === "middleware - first");
    const second = spans.find((s) => s.name === "middleware - second");
    expect(first?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(second?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(first?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("marks a layer that passes an error on as ERROR; error handlers are left as they are", async () => {
    const a = express();
    a.use(
      tracedLayer("guard", (_req: express.Request, _res: express.Response, next: express.NextFunction) =>
        next(new Error("refused")),
      ),
    );
    const onError = (_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(400).end();
    };
    // Express tells error handlers by their four parameters; a wrapper would hide them.
    expect(tracedLayer("errors", onError)).toBe(onError);
    a.use(onError);
    const spans = await serve(traceHttpRequests(a), async (base) => {
      expect((await fetch(`${base}/x`)).status).toBe(400);
    });
    const guard = spans.find((s) => s.name === "middleware - guard");
    expect(guard?.status).toEqual({ code: SpanStatusCode.ERROR, message: "refused" });
    expect(serverSpans(spans)[0]?.attributes["http.response.status_code"]).toBe(400);
  });
});

describe("attribute helpers", () => {
  it("redacts only the named query parameters, however their names are escaped", () => {
    const names = new Set(["input"]);
    expect(redactQuery("input=%7B%7D&batch=1", names)).toBe("input=REDACTED&batch=1");
    expect(redactQuery("%69nput=x", names)).toBe("%69nput=REDACTED");
    expect(redactQuery("inputs=x&input", names)).toBe("inputs=x&input");
    expect(redactQuery("bad=%E0%A4%A&input=x", names)).toBe("bad=%E0%A4%A&input=REDACTED");
  });

  it("splits Host headers into address and port, IPv6 included", () => {
    expect(parseHost("example.com")).toEqual({ address: "example.com" });
    expect(parseHost("10.0.0.1:8080")).toEqual({ address: "10.0.0.1", port: 8080 });
    expect(parseHost("[::1]:3000")).toEqual({ address: "::1", port: 3000 });
    expect(parseHost(undefined)).toBeUndefined();
    expect(parseHost("")).toBeUndefined();
  });
});
