import { z } from "zod";

// The only module of this package that reads process.env. The names are the
// standard OTEL_* variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/)
// plus LOG_LEVEL and TELEMETRY_USER_HASH_KEY.

const list = (allowed: readonly string[]) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((items) => items.every((i) => allowed.includes(i)), {
      message: `must be a comma-separated list of: ${allowed.join(", ")}`,
    });

const bool = z
  .string()
  .optional()
  .transform((v) => v?.trim().toLowerCase() === "true");

const millis = z.coerce.number().int().positive().optional();

const schema = z.object({
  NODE_ENV: z.string().default("development"),
  LOG_LEVEL: z.enum(["error", "warn", "info", "http", "verbose", "debug", "silly"]).default("info"),
  OTEL_SDK_DISABLED: bool,
  OTEL_SERVICE_NAME: z.string().min(1).default("taskmaster-api"),
  // service.version: APP_VERSION wins (set by the deployment), npm's variable covers `npm start`.
  APP_VERSION: z.string().optional(),
  npm_package_version: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: z.url().optional(),
  // http/json by default, not the SDK's http/protobuf: in the running API, otlp-transformer's
  // protobuf writer took 15.6 µs per span against 7.9 for JSON (docs/capacity.md).
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(["http/protobuf", "http/json", "grpc"])
    .default("http/json")
    .refine((p) => p !== "grpc", {
      message: "grpc is not supported by this service; use http/json (default) or http/protobuf",
    }),
  OTEL_TRACES_EXPORTER: list(["otlp", "console", "none"]),
  OTEL_METRICS_EXPORTER: list(["otlp", "prometheus", "console", "none"]),
  OTEL_TRACES_SAMPLER: z
    .enum([
      "always_on",
      "always_off",
      "traceidratio",
      "parentbased_always_on",
      "parentbased_always_off",
      "parentbased_traceidratio",
    ])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_METRIC_EXPORT_INTERVAL: millis,
  OTEL_BSP_SCHEDULE_DELAY: millis,
  TELEMETRY_USER_HASH_KEY: z.string().min(16, "must be at least 16 characters").optional(),
});

export type TelemetryEnv = z.output<typeof schema>;

/** Parses the telemetry variables; throws one error listing every bad variable. */
export function parseTelemetryEnv(source: Record<string, string | undefined>): TelemetryEnv {
  // Empty strings mean "unset" for OTEL_* variables (the spec says so).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid telemetry environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: TelemetryEnv | undefined;
/** The process environment, parsed once. */
export function telemetryEnv(): TelemetryEnv {
  cached ??= parseTelemetryEnv(process.env);
  return cached;
}
