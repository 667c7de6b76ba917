import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace-base";
import type { TelemetryEnv } from "./env";

/** Which exporters to build, decided from the environment alone (pure, so it is unit-tested). */
export interface ExportPlan {
  protocol: "http/protobuf" | "http/json";
  traces: { otlpUrl?: string; console: boolean };
  metrics: { otlpUrl?: string; console: boolean; intervalMillis?: number };
  /** True when no span leaves the process: spans are then not recorded, only their ids are kept for logs. */
  tracesExported: boolean;
}

const DEFAULT_OTLP_BASE = "http://localhost:4318";

function otlpUrl(
  signal: "traces" | "metrics",
  requested: string[],
  base: string | undefined,
  specific: string | undefined,
): string | undefined {
  if (requested.includes("none")) return undefined;
  const explicit = requested.includes("otlp");
  // Without a configured endpoint OTLP is off unless asked for by name: a
  // service without a collector must not log connection errors forever.
  if (!explicit && (requested.length > 0 || (!base && !specific))) return undefined;
  if (specific) return specific;
  return `${(base ?? DEFAULT_OTLP_BASE).replace(/\/+$/, "")}/v1/${signal}`;
}

export function exportPlan(env: TelemetryEnv): ExportPlan {
  const tracesOtlp = otlpUrl(
    "traces",
    env.OTEL_TRACES_EXPORTER,
    env.OTEL_EXPORTER_OTLP_ENDPOINT,
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  );
  const metricsOtlp = otlpUrl(
    "metrics",
    env.OTEL_METRICS_EXPORTER,
    env.OTEL_EXPORTER_OTLP_ENDPOINT,
    env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT,
  );
  const tracesConsole = env.OTEL_TRACES_EXPORTER.includes("console") && !env.OTEL_TRACES_EXPORTER.includes("none");
  return {
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL === "http/protobuf" ? "http/protobuf" : "http/json",
    traces: { otlpUrl: tracesOtlp, console: tracesConsole },
    metrics: {
      otlpUrl: metricsOtlp,
      console: env.OTEL_METRICS_EXPORTER.includes("console") && !env.OTEL_METRICS_EXPORTER.includes("none"),
      intervalMillis: env.OTEL_METRIC_EXPORT_INTERVAL,
    },
    tracesExported: Boolean(tracesOtlp) || tracesConsole,
  };
}

/**
 * The sampler named by OTEL_TRACES_SAMPLER (default parentbased_always_on).
 * When no trace exporter is configured and no sampler is named, root spans are
 * not sampled: recording spans nobody receives costs CPU, while unsampled spans
 * still carry trace and span ids, so log lines keep their correlation ids.
 */
export function samplerFor(env: TelemetryEnv, tracesExported: boolean): Sampler {
  const ratio = env.OTEL_TRACES_SAMPLER_ARG ?? 1;
  switch (env.OTEL_TRACES_SAMPLER) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case undefined:
      return new ParentBasedSampler({ root: tracesExported ? new AlwaysOnSampler() : new AlwaysOffSampler() });
  }
}
