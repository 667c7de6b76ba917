import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkBundleBudget,
  createBudgetMonitor,
  type DEFAULT_BUDGETS,
  metricsHandler,
  shutdownTelemetry,
  startTelemetry,
} from "../src/index";
import { parsePrometheus, sampleValue, withServer } from "./helpers";

beforeAll(async () => {
  await startTelemetry({ env: {} });
});
afterAll(() => shutdownTelemetry());

const breaches = async (budget: string) =>
  withServer(metricsHandler(), async (base) =>
    sampleValue(parsePrometheus(await (await fetch(`${base}/metrics`)).text()), "taskmaster_budget_breaches_total", {
      budget,
    }),
  );

function harness(config: Partial<typeof DEFAULT_BUDGETS> = {}) {
  let clock = 1_000_000;
  const warnings: Array<[string, Record<string, unknown>]> = [];
  const monitor = createBudgetMonitor({
    logger: { warn: ((message: string, meta: Record<string, unknown>) => warnings.push([message, meta])) as never },
    config: { memorySampleIntervalMs: 0, evaluateEveryMs: 0, ...config },
    now: () => clock,
  });
  return { monitor, warnings, advance: (ms: number) => (clock += ms) };
}

describe("createBudgetMonitor", () => {
  it("counts an API p95 breach once per window and logs one warning for it", async () => {
    const { monitor, warnings, advance } = harness({ minSamples: 5 });
    const before = await breaches("api_p95");
    // 20 requests, 2 of them slow: p95 is a slow one (1.5 s > 1 s).
    for (let i = 0; i < 20; i++) {
      monitor.observeRequestDuration(i % 10 === 0 ? 1.5 : 0.05);
      advance(100);
    }
    // Still breaching for the rest of the window: no further warning, no further count.
    for (let i = 0; i < 20; i++) {
      monitor.observeRequestDuration(2);
      advance(1000);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[1]).toMatchObject({ budget: "api_p95", limit: 1, percentile: 95 });
    expect(await breaches("api_p95")).toBe(before + 1);

    // A new window: one more warning, which says how many breaches it held back.
    advance(60_000);
    for (let i = 0; i < 5; i++) monitor.observeRequestDuration(2);
    expect(warnings).toHaveLength(2);
    expect(Number(warnings[1]?.[1].suppressed_since_last_warning)).toBeGreaterThan(0);
    expect(await breaches("api_p95")).toBe(before + 2);
  });

  it("does not breach while p95 stays under the budget", async () => {
    const { monitor, warnings } = harness({ minSamples: 5 });
    // One slow request in 100: the 95th percentile is still a fast one.
    for (let i = 0; i < 99; i++) monitor.observeRequestDuration(0.2);
    monitor.observeRequestDuration(3);
    expect(warnings).toHaveLength(0);
  });

  it("judges Web Vitals at p75 and ignores samples older than the window", async () => {
    const { monitor, warnings, advance } = harness({ minSamples: 4 });
    const before = await breaches("lcp");
    for (const v of [3000, 3100, 3200, 1000]) monitor.observeVital("LCP", v);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[1]).toMatchObject({ budget: "lcp", observed: 3100, limit: 2500 });
    expect(await breaches("lcp")).toBe(before + 1);

    // The slow samples age out: four good ones in the next window do not breach.
    advance(61_000);
    for (const v of [900, 1000, 1100, 1200]) monitor.observeVital("LCP", v);
    expect(warnings).toHaveLength(1);
    // CLS has its own budget and its own window.
    for (const v of [0.3, 0.3, 0.3, 0.3]) monitor.observeVital("CLS", v);
    expect(warnings.map((w) => w[1].budget)).toEqual(["lcp", "cls"]);
  });

  it("flags RSS above 100 MB once per window", async () => {
    const { monitor, warnings, advance } = harness();
    const before = await breaches("memory_rss");
    monitor.sampleMemory(50 * 1024 * 1024);
    monitor.sampleMemory(150 * 1024 * 1024);
    monitor.sampleMemory(160 * 1024 * 1024);
    advance(60_000);
    monitor.sampleMemory(170 * 1024 * 1024);
    expect(warnings.map((w) => w[1].budget)).toEqual(["memory_rss", "memory_rss"]);
    expect(await breaches("memory_rss")).toBe(before + 2);
  });
});

describe("checkBundleBudget", () => {
  it("passes 512 KB and fails one byte more, saying by how much", () => {
    expect(checkBundleBudget(512 * 1024).ok).toBe(true);
    const over = checkBundleBudget(512 * 1024 + 1024);
    expect(over.ok).toBe(false);
    expect(over.message).toContain("exceeds its 512.0 KB budget by 1.0 KB");
    expect(() => checkBundleBudget(Number.NaN)).toThrow(RangeError);
  });
});
