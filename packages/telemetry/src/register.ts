// Entry for `node --import @taskmaster/telemetry/register app.js`: starts the
// SDK before the app's modules load, so ioredis is patched. The HTTP server and
// Express spans come from traceHttpRequests() and tracedLayer(), which the app
// wires itself (see http-server.ts for why not instrumentation-http/-express).
import { register } from "node:module";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { telemetryEnv } from "./env";
import { startTelemetry } from "./sdk";

// OTEL_SDK_DISABLED=true means no cost at all: an instrumentation patches its module as soon as
// it is constructed (enabled is its default), and the loader hook sees every import, so neither
// may happen before this check.
if (!telemetryEnv().OTEL_SDK_DISABLED) {
  // ESM imports of ioredis are only patched through import-in-the-middle's loader hook. Only the
  // modules the instrumentations below patch are wrapped: by default the hook wraps every module
  // the app imports, which costs start-up time and memory for nothing.
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, { data: { include: ["ioredis"] } });

  await startTelemetry({ instrumentations: [new IORedisInstrumentation()] });
}
