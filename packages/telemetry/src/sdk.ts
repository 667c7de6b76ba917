import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  context,
  type MeterProvider,
  metrics,
  type ProxyTracerProvider,
  propagation,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  ConsoleMetricExporter,
  type IMetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { exportPlan, samplerFor } from "./config";
import { EmitterBindingContextManager } from "./context-manager";
import { parseTelemetryEnv, telemetryEnv } from "./env";
import { METER_NAME, startRuntimeMetrics } from "./metrics";
import { telemetryState } from "./state";

export interface TelemetryOptions {
  /** Variables to read instead of process.env (tests); parsed and validated like process.env. */
  env?: Record<string, string | undefined>;
  serviceName?: string;
  serviceVersion?: string;
  environment?: string;
  /** Replaces the span processors derived from the environment (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
  /** Replaces the sampler derived from OTEL_TRACES_SAMPLER. */
  sampler?: Sampler;
  /** Instrumentations to enable (register.ts passes ioredis). None by default. */
  instrumentations?: Instrumentation[];
  /** Readers added to the always-present Prometheus reader and the environment's OTLP reader. */
  metricReaders?: IMetricReader[];
  /** Key for the opaque user ids on spans; defaults to TELEMETRY_USER_HASH_KEY. */
  userHashKey?: string;
}

export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TelemetryHandles {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  /** Serves the Prometheus text exposition of every metric of this process. */
  metricsHandler: MetricsRequestHandler;
  /** Flushes pending spans and metrics to the exporters. */
  forceFlush(): Promise<void>;
  /** Flushes and stops everything; idempotent. */
  shutdown(): Promise<void>;
}

function otlpTraceExporter(protocol: "http/protobuf" | "http/json", url: string): Promise<SpanExporter> {
  return protocol === "http/json"
    ? import("@opentelemetry/exporter-trace-otlp-http").then((m) => new m.OTLPTraceExporter({ url }))
    : import("@opentelemetry/exporter-trace-otlp-proto").then((m) => new m.OTLPTraceExporter({ url }));
}

function otlpMetricExporter(protocol: "http/protobuf" | "http/json", url: string): Promise<PushMetricExporter> {
  return protocol === "http/json"
    ? import("@opentelemetry/exporter-metrics-otlp-http").then((m) => new m.OTLPMetricExporter({ url }))
    : import("@opentelemetry/exporter-metrics-otlp-proto").then((m) => new m.OTLPMetricExporter({ url }));
}

const disabledHandler: MetricsRequestHandler = (_req, res) => {
  res.statusCode = 503;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end("telemetry is not started (OTEL_SDK_DISABLED=true or startTelemetry() not called)\n");
};

/**
 * Starts the OpenTelemetry SDK once per process: resource, sampler, span
 * processors and OTLP exporters from OTEL_* (OTLP only when an endpoint is set
 * or `otlp` is named), a Prometheus reader that is always present for
 * /metrics, and runtime gauges. Returns the existing handles if already
 * started; returns null when OTEL_SDK_DISABLED=true.
 */
export async function startTelemetry(options: TelemetryOptions = {}): Promise<TelemetryHandles | null> {
  const state = telemetryState();
  if (state.handles) return state.handles;
  const env = options.env === undefined ? telemetryEnv() : parseTelemetryEnv(options.env);
  if (env.OTEL_SDK_DISABLED) return null;

  const plan = exportPlan(env);
  state.userHashKey = options.userHashKey ?? env.TELEMETRY_USER_HASH_KEY;

  let spanProcessors = options.spanProcessors;
  if (!spanProcessors) {
    spanProcessors = [];
    if (plan.traces.otlpUrl) {
      const exporter = await otlpTraceExporter(plan.protocol, plan.traces.otlpUrl);
      spanProcessors.push(new BatchSpanProcessor(exporter, { scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY }));
    }
    if (plan.traces.console) spanProcessors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  }

  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const readers: IMetricReader[] = [prometheus, ...(options.metricReaders ?? [])];
  if (plan.metrics.otlpUrl) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: await otlpMetricExporter(plan.protocol, plan.metrics.otlpUrl),
        exportIntervalMillis: plan.metrics.intervalMillis,
        exportTimeoutMillis: plan.metrics.intervalMillis ? Math.min(30_000, plan.metrics.intervalMillis) : undefined,
      }),
    );
  }
  if (plan.metrics.console) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new ConsoleMetricExporter(),
        exportIntervalMillis: plan.metrics.intervalMillis,
      }),
    );
  }

  const serviceVersion = options.serviceVersion ?? env.APP_VERSION ?? env.npm_package_version ?? "0.0.0";
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName ?? env.OTEL_SERVICE_NAME,
      [ATTR_SERVICE_VERSION]: serviceVersion,
      // Not yet exported as a stable constant by semantic-conventions.
      "deployment.environment.name": options.environment ?? env.NODE_ENV,
    }),
    // OTEL_RESOURCE_ATTRIBUTES only: the process/host detectors would add command lines and host names.
    resourceDetectors: [envDetector],
    spanProcessors,
    sampler: options.sampler ?? samplerFor(env, plan.tracesExported || options.spanProcessors !== undefined),
    metricReaders: readers,
    // Logs go through winston to stdout; no OTLP log exporter (and no connection errors).
    logRecordProcessors: [],
    instrumentations: options.instrumentations ?? [],
    contextManager: new EmitterBindingContextManager(),
  });
  sdk.start();

  const meterProvider = metrics.getMeterProvider();
  const stopRuntime = startRuntimeMetrics(meterProvider.getMeter(METER_NAME));
  const tracerProvider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();

  let stopping: Promise<void> | undefined;
  const handles: TelemetryHandles = {
    tracerProvider,
    meterProvider,
    metricsHandler: (req, res) => prometheus.getMetricsRequestHandler(req, res),
    async forceFlush() {
      const flushable = [tracerProvider, meterProvider] as Array<{ forceFlush?: () => Promise<void> }>;
      await Promise.all(flushable.map((p) => p.forceFlush?.()));
    },
    shutdown() {
      stopping ??= (async () => {
        stopRuntime();
        try {
          await sdk.shutdown();
        } finally {
          for (const instrumentation of options.instrumentations ?? []) instrumentation.disable();
          // Unregister the globals so a later startTelemetry() (tests) can register again.
          trace.disable();
          metrics.disable();
          context.disable();
          propagation.disable();
          state.handles = undefined;
        }
      })();
      return stopping;
    },
  };
  state.handles = handles;
  return handles;
}

/** Flushes and stops the SDK started by register.ts or startTelemetry(); a no-op when none runs. Await it on SIGTERM. */
export async function shutdownTelemetry(): Promise<void> {
  await telemetryState().handles?.shutdown();
}

export interface MetricsHandlerOptions {
  /** When set, requests must send `Authorization: Bearer <token>` (production: METRICS_TOKEN). */
  token?: string;
}

/**
 * `GET /metrics` handler (Express- or node:http-compatible) serving the
 * Prometheus text format from the running SDK. 503 while telemetry is not
 * started, 401 without the bearer token when one is configured.
 */
export function metricsHandler(options: MetricsHandlerOptions = {}): MetricsRequestHandler {
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  return (req, res) => {
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.statusCode = 401;
        res.setHeader("www-authenticate", 'Bearer realm="metrics"');
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end("a bearer token is required for /metrics\n");
        return;
      }
    }
    const handler = telemetryState().handles?.metricsHandler ?? disabledHandler;
    handler(req, res);
  };
}
