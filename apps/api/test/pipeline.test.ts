import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { describe, expect, test } from "vitest";
import { pipeline } from "../src/http/pipeline";

/** Serves `handlers` behind one pipeline, then a final handler and an error handler that say what happened. */
async function serve(handlers: RequestHandler[], path: string) {
  const seen: string[] = [];
  const app = express();
  app.use(pipeline("test", handlers));
  app.use((_req, res) => {
    res.json({ reached: "end", seen });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(500).json({ reached: "error handler", error: err instanceof Error ? err.message : String(err), seen });
  };
  app.use(onError);
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return { status: res.status, body: (await res.json()) as { reached: string; error?: string; seen: string[] } };
  } finally {
    server.close();
  }
}

const mark =
  (name: string, seen: () => string[]): RequestHandler =>
  (_req, _res, next) => {
    seen().push(name);
    next();
  };

describe("pipeline(): several middleware as one Express layer", () => {
  test("runs every handler in order, then the next layer", async () => {
    const seen: string[] = [];
    const { status } = await serve([mark("a", () => seen), mark("b", () => seen), mark("c", () => seen)], "/");
    expect(status).toBe(200);
    expect(seen).toEqual(["a", "b", "c"]);
  });

  test("a handler that answers stops the chain", async () => {
    const seen: string[] = [];
    const stop: RequestHandler = (_req, res) => {
      res.status(429).json({ reached: "limiter", seen: [] });
    };
    const { status, body } = await serve([mark("a", () => seen), stop, mark("never", () => seen)], "/");
    expect(status).toBe(429);
    expect(body.reached).toBe("limiter");
    expect(seen).toEqual(["a"]);
  });

  test("next(err), a throw and a rejected promise skip the rest and reach the error handler", async () => {
    const seen: string[] = [];
    const failures: RequestHandler[] = [
      (_req, _res, next) => next(new Error("passed on")),
      () => {
        throw new Error("thrown");
      },
      async () => {
        await Promise.resolve();
        throw new Error("rejected");
      },
    ];
    for (const failure of failures) {
      seen.length = 0;
      const { status, body } = await serve([mark("a", () => seen), failure, mark("never", () => seen)], "/");
      expect(status).toBe(500);
      expect(body.reached).toBe("error handler");
      expect(["passed on", "thrown", "rejected"]).toContain(body.error);
      expect(seen).toEqual(["a"]);
    }
  });

  test("an async handler that calls next carries on", async () => {
    const seen: string[] = [];
    const slow: RequestHandler = async (_req, _res, next) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push("slow");
      next();
    };
    const { status } = await serve([slow, mark("b", () => seen)], "/");
    expect(status).toBe(200);
    expect(seen).toEqual(["slow", "b"]);
  });

  test("the layer is named, so traces and stack traces say which group ran", () => {
    expect(pipeline("edge", []).name).toBe("edge");
  });
});
