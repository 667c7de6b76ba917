import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDbObserver,
  metricsHandler,
  recordBudgetBreach,
  recordHttpServerDuration,
  recordRateLimitDecision,
  recordWebVital,
  shutdownTelemetry,
  startTelemetry,
  traceProcedure,
} from "../src/index";
import { parsePrometheus, promtool, skipWithoutPromtool, withServer } from "./helpers";

const deployDir = path.resolve(import.meta.dirname, "../../../deploy/prometheus");
const alertsFile = path.join(deployDir, "alerts.yml");

describe.skipIf(skipWithoutPromtool)("deploy/prometheus with promtool", () => {
  it("alerts.yml passes promtool check rules", () => {
    const r = promtool(["check", "rules", alertsFile]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("alerts.yml passes its promtool unit tests (alerts.test.yml)", () => {
    const r = promtool(["test", "rules", path.join(deployDir, "alerts.test.yml")]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("prometheus.yml passes promtool check config, rule files included", () => {
    // The bearer token file exists only in the deployment; point at a stand-in.
    const dir = mkdtempSync(path.join(tmpdir(), "prom-config-"));
    try {
      cpSync(deployDir, dir, { recursive: true });
      writeFileSync(path.join(dir, "token"), "test-token\n");
      const config = readFileSync(path.join(dir, "prometheus.yml"), "utf8");
      expect(config).toContain("credentials_file: /run/secrets/metrics_token");
      writeFileSync(
        path.join(dir, "prometheus.yml"),
        config.replace("/run/secrets/metrics_token", path.join(dir, "token")),
      );
      const r = promtool(["check", "config", path.join(dir, "prometheus.yml")]);
      expect(r.output).toContain("SUCCESS");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("alert rules and the exporter agree on names", () => {
  beforeAll(async () => {
    await startTelemetry({ env: {} });
  });
  afterAll(() => shutdownTelemetry());

  // Touch every instrument once so each series exists, then scrape.
  async function scrapeEverything() {
    const db = createDbObserver();
    recordHttpServerDuration(0.1, { method: "GET", route: "/x", statusCode: 200 });
    await traceProcedure({ path: "a.b", type: "query" }, () => Promise.reject({ code: "NOT_FOUND" })).catch(() => {});
    await db.transaction("user", () => db.query("select 1", async () => 1));
    recordRateLimitDecision("login", "limited");
    recordBudgetBreach("lcp");
    for (const name of ["LCP", "INP", "CLS", "FCP", "TTFB"] as const) {
      recordWebVital(name, 1, { route: "/", rating: "good" });
    }
    // The event-loop gauges appear once the delay monitor has its first samples (10 ms resolution).
    await new Promise((r) => setTimeout(r, 50));
    const served = await withServer(metricsHandler(), async (base) => (await fetch(`${base}/metrics`)).text());
    return parsePrometheus(served);
  }

  it("every metric an alert queries is one /metrics really serves", async () => {
    const names = new Set((await scrapeEverything()).map((s) => s.name));
    const alerts = readFileSync(alertsFile, "utf8");
    const exprs = [...alerts.matchAll(/expr: (\|\n(?:\s{10,}.*\n)+|.*)/g)].map((m) => m[1] as string);
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    const promqlWords = new Set(["histogram_quantile", "sum", "rate", "increase", "max", "by", "and", "le", "up"]);
    const referenced = new Set(
      exprs.flatMap((e) =>
        [...e.replace(/\{[^}]*\}|\[[^\]]*\]|"[^"]*"/g, "").matchAll(/\b[a-z_][a-z0-9_]*\b/g)]
          .map((m) => m[0])
          .filter((w) => !promqlWords.has(w) && !["instance", "budget", "policy", "code", "ignoring"].includes(w)),
      ),
    );
    expect(referenced.size).toBeGreaterThanOrEqual(8);
    for (const metric of referenced) expect(names, `alerts.yml queries ${metric}`).toContain(metric);
  });

  it("every metric and label the Grafana dashboard queries is one /metrics really serves", async () => {
    const samples = await scrapeEverything();
    const names = new Set(samples.map((s) => s.name));
    const labels = new Set(samples.flatMap((s) => Object.keys(s.labels ?? {})));
    const dashboard = JSON.parse(
      readFileSync(path.join(deployDir, "../grafana/dashboards/taskmaster-api.json"), "utf8"),
    ) as {
      panels: { targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(9);
    const words = new Set(["histogram_quantile", "sum", "rate", "increase", "max", "by", "le"]);
    for (const e of exprs) {
      const byLabels = [...e.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => (m[1] ?? "").split(",").map((l) => l.trim()));
      for (const l of byLabels.filter((l) => l !== "le" && l !== "job"))
        expect(labels, `dashboard groups by ${l}`).toContain(l);
      const metrics = [...e.replace(/by \([^)]*\)|\{[^}]*\}|\[[^\]]*\]/g, "").matchAll(/\b[a-z_][a-z0-9_]*\b/g)]
        .map((m) => m[0])
        .filter((w) => !words.has(w));
      for (const m of metrics) expect(names, `dashboard queries ${m}`).toContain(m);
    }
  });
});
