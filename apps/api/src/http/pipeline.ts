import type { NextFunction, Request, RequestHandler, Response } from "express";

/**
 * Runs middleware in order as one Express layer, with Express 5's own rules:
 * `next(err)` and a synchronous throw or rejected promise skip the rest and
 * hand the error on; a handler that ends the response without calling `next`
 * stops the chain.
 *
 * Why group them: Express matches every layer against every request, and a
 * request used to pass thirteen. On tasks.list with tracing on that per-layer
 * work was a measurable share of the cost (docs/capacity.md); grouped, a
 * /trpc request passes four.
 */
export function pipeline(name: string, handlers: RequestHandler[]): RequestHandler {
  const run = (req: Request, res: Response, done: NextFunction): void => {
    let index = 0;
    const next = (err?: unknown): void => {
      // "route" and "router" are Express's own exits: the caller's router handles them.
      if (err !== undefined && err !== null) {
        done(err);
        return;
      }
      const handler = handlers[index++];
      if (!handler) {
        done();
        return;
      }
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) {
          result.then(undefined, (reason: unknown) => next(reason ?? new Error("Rejected promise")));
        }
      } catch (thrown) {
        next(thrown ?? new Error("Thrown nullish value"));
      }
    };
    next();
  };
  Object.defineProperty(run, "name", { value: name });
  return run;
}
