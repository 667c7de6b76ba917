import { describe, expect, it } from "vitest";
import { exportPlan, samplerFor } from "../src/config";
import { parseTelemetryEnv } from "../src/env";
import { sanitizeSql, summarizeSql } from "../src/sql";

const plan = (vars: Record<string, string>) => exportPlan(parseTelemetryEnv(vars));

describe("export plan from OTEL_* variables", () => {
  it("exports nothing over OTLP without an endpoint", () => {
    expect(plan({})).toMatchObject({ traces: { otlpUrl: undefined }, metrics: { otlpUrl: undefined } });
  });

  it("appends the signal paths to OTEL_EXPORTER_OTLP_ENDPOINT and uses signal endpoints as given", () => {
    const p = plan({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://metrics:9000/custom",
    });
    expect(p.traces.otlpUrl).toBe("http://collector:4318/v1/traces");
    expect(p.metrics.otlpUrl).toBe("http://metrics:9000/custom");
    expect(p.protocol).toBe("http/json");
  });

  it("sends OTLP JSON unless OTEL_EXPORTER_OTLP_PROTOCOL asks for protobuf", () => {
    expect(plan({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" }).protocol).toBe("http/protobuf");
    expect(plan({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }).protocol).toBe("http/json");
  });

  it("honours none, and otlp named explicitly without an endpoint", () => {
    const p = plan({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" });
    expect(p.traces.otlpUrl).toBeUndefined();
    expect(p.metrics.otlpUrl).toBe("http://c:4318/v1/metrics");
    expect(plan({ OTEL_METRICS_EXPORTER: "otlp" }).metrics.otlpUrl).toBe("http://localhost:4318/v1/metrics");
  });

  it("rejects grpc, unknown exporters and bad sampler args with the variable's name", () => {
    expect(() => parseTelemetryEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL.*grpc/,
    );
    expect(() => parseTelemetryEnv({ OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(() => parseTelemetryEnv({ OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => parseTelemetryEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("samples nothing at the root when no trace leaves the process, unless a sampler is named", () => {
    expect(samplerFor(parseTelemetryEnv({}), false).toString()).toContain("root=AlwaysOffSampler");
    expect(samplerFor(parseTelemetryEnv({}), true).toString()).toContain("root=AlwaysOnSampler");
    const ratio = parseTelemetryEnv({
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
    });
    expect(samplerFor(ratio, false).toString()).toContain("TraceIdRatioBased{0.25}");
  });
});

describe("SQL summaries for span names", () => {
  it.each([
    ['select "id" from "tasks" where "project_id" = $1', "select tasks"],
    ['insert into "public"."tasks" ("id") values ($1)', "insert public.tasks"],
    ['update "tasks" set "title" = $1 where "id" = $2', "update tasks"],
    ["delete from only sessions where id = $1", "delete sessions"],
    ["with recent as (select * from tasks) select count(*) from recent", "select recent"],
    ["select set_config('role', 'app_user', true), set_config('app.user_id', $1, true)", "select"],
    ["select count(*) from (select 1 from t) s", "select"],
    ["BEGIN", "begin"],
  ])("%s → %s", (sqlText, spanName) => {
    expect(summarizeSql(sqlText).spanName).toBe(spanName);
  });

  it("replaces every literal but keeps placeholders and quoted identifiers", () => {
    expect(sanitizeSql("select * from \"Users\" where email = 'a''b@c.d' and n > 42 and id = $1 -- 'x'")).toBe(
      'select * from "Users" where email = ? and n > ? and id = $1',
    );
    expect(sanitizeSql("select E'it\\'s', $tag$secret$tag$, t1.c2 from t1")).toBe("select ?, ?, t1.c2 from t1");
  });

  it("truncates long statements to 2 KiB", () => {
    expect(summarizeSql(`select ${"a, ".repeat(2000)}b from t`).text).toHaveLength(2048);
  });
});
