import type { Logger } from "./logger";
import { recordBudgetBreach, type WebVitalName } from "./metrics";

/** SPEC §5 performance budgets, in one place. Durations in ms (API p95 in seconds, as it is measured). */
export const DEFAULT_BUDGETS = {
  LCP: 2500,
  INP: 200,
  CLS: 0.1,
  FCP: 1800,
  /** Not in SPEC §5's list; tracked as a vital without a budget unless set. */
  TTFB: undefined as number | undefined,
  apiP95Seconds: 1,
  mainBundleBytes: 512 * 1024,
  rssBytes: 100 * 1024 * 1024,
  /** Sliding window for percentiles and for "one warning per window". */
  windowMs: 60_000,
  /** Samples kept per window (ring buffer): bounds memory and evaluation cost. */
  windowCapacity: 2048,
  /** A percentile over fewer samples than this is not judged. */
  minSamples: 5,
  /** Percentile judged for Web Vitals (web.dev assesses the 75th). */
  vitalsPercentile: 0.75,
  /** Percentiles are recomputed at most this often, not on every request. */
  evaluateEveryMs: 1000,
  /** RSS sampling period; 0 disables the sampler (call sampleMemory yourself). */
  memorySampleIntervalMs: 15_000,
};

export type BudgetConfig = typeof DEFAULT_BUDGETS;
export type BudgetName = "lcp" | "inp" | "cls" | "fcp" | "ttfb" | "api_p95" | "memory_rss" | "bundle_main";

export interface BundleBudgetResult {
  ok: boolean;
  bytes: number;
  limitBytes: number;
  message: string;
}

/** For the web app's build: is the main bundle within its budget? */
export function checkBundleBudget(bytes: number, limitBytes = DEFAULT_BUDGETS.mainBundleBytes): BundleBudgetResult {
  if (!Number.isFinite(bytes) || bytes < 0)
    throw new RangeError(`bundle size must be a non-negative number, got ${bytes}`);
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const ok = bytes <= limitBytes;
  return {
    ok,
    bytes,
    limitBytes,
    message: ok
      ? `main bundle ${kb(bytes)} is within its ${kb(limitBytes)} budget`
      : `main bundle ${kb(bytes)} exceeds its ${kb(limitBytes)} budget by ${kb(bytes - limitBytes)}`,
  };
}

/** Bounded ring buffer of timestamped samples; old samples fall out by time or by capacity. */
class SlidingWindow {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;
  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }
  push(t: number, v: number): void {
    this.times[this.next] = t;
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }
  /** Nearest-rank percentile of samples newer than `since`, with their count. */
  percentile(p: number, since: number): { value: number; count: number } | undefined {
    const recent: number[] = [];
    for (let i = 0; i < this.size; i++) if ((this.times[i] as number) > since) recent.push(this.values[i] as number);
    if (recent.length === 0) return undefined;
    recent.sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil(p * recent.length));
    return { value: recent[rank - 1] as number, count: recent.length };
  }
}

export interface BudgetMonitor {
  observeVital(name: WebVitalName, value: number): void;
  observeRequestDuration(seconds: number): void;
  sampleMemory(rssBytes: number): void;
  stop(): void;
}

export interface BudgetMonitorOptions {
  logger: Pick<Logger, "warn">;
  config?: Partial<BudgetConfig>;
  /** Clock in ms (tests). */
  now?: () => number;
}

/**
 * Watches the budgets: Web Vitals at their 75th percentile and API latency at
 * its 95th over a sliding window, RSS per sample. A breach logs one warning
 * per budget per window (with how many further breaches it suppressed) and
 * counts once in taskmaster.budget.breaches{budget}.
 */
export function createBudgetMonitor(options: BudgetMonitorOptions): BudgetMonitor {
  const config = { ...DEFAULT_BUDGETS, ...options.config };
  const now = options.now ?? Date.now;
  const windows = new Map<string, SlidingWindow>();
  const lastEvaluated = new Map<string, number>();
  const lastReported = new Map<BudgetName, number>();
  const suppressed = new Map<BudgetName, number>();

  const windowOf = (key: string) => {
    let w = windows.get(key);
    if (!w) {
      w = new SlidingWindow(config.windowCapacity);
      windows.set(key, w);
    }
    return w;
  };

  function breach(budget: BudgetName, observed: number, limit: number, detail: Record<string, unknown>): void {
    const t = now();
    const last = lastReported.get(budget);
    if (last !== undefined && t - last < config.windowMs) {
      suppressed.set(budget, (suppressed.get(budget) ?? 0) + 1);
      return;
    }
    lastReported.set(budget, t);
    const skipped = suppressed.get(budget) ?? 0;
    suppressed.set(budget, 0);
    recordBudgetBreach(budget);
    options.logger.warn("performance budget exceeded", {
      budget,
      observed,
      limit,
      window_ms: config.windowMs,
      suppressed_since_last_warning: skipped,
      ...detail,
    });
  }

  /** Adds a sample and, at most once per evaluateEveryMs, judges the window's percentile. */
  function observeDistribution(budget: BudgetName, value: number, limit: number | undefined, p: number): void {
    if (limit === undefined || !Number.isFinite(value)) return;
    const t = now();
    const w = windowOf(budget);
    w.push(t, value);
    const last = lastEvaluated.get(budget);
    if (last !== undefined && t - last < config.evaluateEveryMs) return;
    lastEvaluated.set(budget, t);
    const result = w.percentile(p, t - config.windowMs);
    if (result && result.count >= config.minSamples && result.value > limit) {
      breach(budget, result.value, limit, { percentile: p * 100, samples: result.count });
    }
  }

  function sampleMemory(rssBytes: number): void {
    if (rssBytes > config.rssBytes) breach("memory_rss", rssBytes, config.rssBytes, {});
  }

  const timer =
    config.memorySampleIntervalMs > 0
      ? setInterval(() => sampleMemory(process.memoryUsage.rss()), config.memorySampleIntervalMs)
      : undefined;
  timer?.unref();

  return {
    observeVital(name, value) {
      observeDistribution(name.toLowerCase() as BudgetName, value, config[name], config.vitalsPercentile);
    },
    observeRequestDuration(seconds) {
      observeDistribution("api_p95", seconds, config.apiP95Seconds, 0.95);
    },
    sampleMemory,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
