// Entry for `node --import @taskmaster/telemetry/register app.js`: starts the
// SDK before the app's modules load, so http, express and ioredis are patched.
import { register } from "node:module";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { telemetryEnv } from "./env";
import { isUntracedMiddlewareLayer } from "./express-layers";
import { startTelemetry } from "./sdk";

// OTEL_SDK_DISABLED=true means no cost at all: an instrumentation patches its module as soon as
// it is constructed (enabled is its default), and the loader hook sees every import, so neither
// may happen before this check. Measured: patched but unused, http and express cost 3-4 % of
// the API's CPU on tasks.list.
if (!telemetryEnv().OTEL_SDK_DISABLED) {
  // ESM modules (the app, express imported from ESM) are only patched through
  // import-in-the-middle's loader hook; without it Express spans are missing. Only the modules
  // the instrumentations below patch are wrapped: by default the hook wraps every module the
  // app imports, which costs start-up time and memory for nothing.
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, {
    data: { include: ["express", "http", "https", "ioredis"] },
  });

  // Stable HTTP semantic conventions (http.request.method, url.path, ...) unless the operator chose
  // otherwise: the names CONVENTIONS.md asks for, and fewer attributes per span than the old+new mix.
  process.env.OTEL_SEMCONV_STABILITY_OPT_IN ??= "http";

  // Scrapes and health probes are frequent and carry no user work: no spans for them.
  const UNTRACED = /^\/(metrics|api\/health)(\/|\?|$)/;

  await startTelemetry({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? ""),
        // tRPC queries carry their input (search text, titles, ids) in ?input=: user data that
        // must not reach url.query on every GET span.
        redactedQueryParamsServer: ["input"],
      }),
      new ExpressInstrumentation({ ignoreLayers: [isUntracedMiddlewareLayer] }),
      new IORedisInstrumentation(),
    ],
  });
}
