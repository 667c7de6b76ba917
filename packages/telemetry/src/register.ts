// Entry for `node --import @taskmaster/telemetry/register app.js`: starts the
// SDK before the app's modules load, so http, express and ioredis are patched.
import { register } from "node:module";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { isUntracedMiddlewareLayer } from "./express-layers";
import { startTelemetry } from "./sdk";

// ESM modules (the app, express imported from ESM) are only patched through
// import-in-the-middle's loader hook; without it Express spans are missing.
register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);

// Stable HTTP semantic conventions (http.request.method, url.path, ...) unless the operator chose
// otherwise: the names CONVENTIONS.md asks for, and fewer attributes per span than the old+new mix.
process.env.OTEL_SEMCONV_STABILITY_OPT_IN ??= "http";

// Scrapes and health probes are frequent and carry no user work: no spans for them.
const UNTRACED = /^\/(metrics|api\/health)(\/|\?|$)/;

await startTelemetry({
  instrumentations: [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? "") }),
    new ExpressInstrumentation({ ignoreLayers: [isUntracedMiddlewareLayer] }),
    new IORedisInstrumentation(),
  ],
});
