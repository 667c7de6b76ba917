import { monitorEventLoopDelay } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";
import {
  type Attributes,
  type Histogram,
  type Meter,
  type MeterProvider,
  type MetricOptions,
  metrics,
  ValueType,
} from "@opentelemetry/api";

export const METER_NAME = "@taskmaster/telemetry";

/** Boundaries recommended by the HTTP semantic conventions (seconds). */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Boundaries recommended by the database semantic conventions (seconds). */
export const DB_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

export type WebVitalName = "LCP" | "INP" | "CLS" | "FCP" | "TTFB";
export type WebVitalRating = "good" | "needs-improvement" | "poor";

// Each vital's good/poor thresholds (web.dev) are bucket boundaries, so an
// alert can compare the share of samples under the budget exactly.
export const WEB_VITAL_BUCKETS: Record<WebVitalName, number[]> = {
  LCP: [250, 500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10000, 20000],
  INP: [16, 32, 50, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000],
  CLS: [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
  FCP: [250, 500, 1000, 1500, 1800, 2500, 3000, 4000, 6000, 10000],
  TTFB: [50, 100, 200, 400, 600, 800, 1000, 1800, 2500, 5000, 10000],
};

export type RateLimitOutcome = "allowed" | "limited" | "error";

/**
 * A monotonic counter kept as plain in-process tallies and read by the SDK only when metrics are
 * collected (an observable counter). For counters bumped several times per request with a handful
 * of attribute combinations: a synchronous counter hashes its attributes on every add(), which
 * was a measurable share of the tracing cost on tasks.list. `add` must be given attribute values
 * from a small fixed set; the tallies start at zero for each meter provider.
 */
function observedCounter(meter: Meter, name: string, options: MetricOptions) {
  const tallies = new Map<string, { attributes: Attributes; value: number }>();
  const counter = meter.createObservableCounter(name, options);
  counter.addCallback((result) => {
    for (const { attributes, value } of tallies.values()) result.observe(value, attributes);
  });
  return {
    add(value: number, attributes: Record<string, string>) {
      let key = "";
      for (const k in attributes) key += `${k}\u0000${attributes[k]}\u0000`;
      const tally = tallies.get(key);
      if (tally) tally.value += value;
      else tallies.set(key, { attributes: { ...attributes }, value });
    },
  };
}

function createInstruments(meter: Meter) {
  const vital = (name: WebVitalName): Histogram =>
    meter.createHistogram(`taskmaster.webvitals.${name.toLowerCase()}`, {
      description: `Web Vitals ${name} reported by browsers, by page route and rating.`,
      unit: name === "CLS" ? "1" : "ms",
      advice: { explicitBucketBoundaries: WEB_VITAL_BUCKETS[name] },
    });
  return {
    httpServerDuration: meter.createHistogram("http.server.request.duration", {
      description: "Duration of HTTP server requests.",
      unit: "s",
      advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
    }),
    trpcDuration: meter.createHistogram("taskmaster.trpc.duration", {
      description: "Duration of tRPC procedures, by path and type.",
      unit: "s",
      advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
    }),
    trpcErrors: meter.createCounter("taskmaster.trpc.errors", {
      description: "tRPC procedures that ended in an error, by path and tRPC error code.",
      unit: "{error}",
      valueType: ValueType.INT,
    }),
    rateLimitDecisions: observedCounter(meter, "taskmaster.ratelimit.decisions", {
      description: "Rate-limit decisions, by policy and outcome (allowed, limited, error).",
      unit: "{decision}",
      valueType: ValueType.INT,
    }),
    dbOperationDuration: meter.createHistogram("db.client.operation.duration", {
      description: "Duration of database client operations.",
      unit: "s",
      advice: { explicitBucketBoundaries: DB_DURATION_BUCKETS },
    }),
    dbTransactionDuration: meter.createHistogram("taskmaster.db.transaction.duration", {
      description: "Duration of database transactions, by context kind (user, service) and outcome.",
      unit: "s",
      advice: { explicitBucketBoundaries: DB_DURATION_BUCKETS },
    }),
    budgetBreaches: meter.createCounter("taskmaster.budget.breaches", {
      description: "Performance budget breaches (counted at most once per budget window).",
      unit: "{breach}",
      valueType: ValueType.INT,
    }),
    vitals: {
      LCP: vital("LCP"),
      INP: vital("INP"),
      CLS: vital("CLS"),
      FCP: vital("FCP"),
      TTFB: vital("TTFB"),
    } satisfies Record<WebVitalName, Histogram>,
  };
}

type Instruments = ReturnType<typeof createInstruments>;
let cache: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * Instruments of the meter provider registered right now. The API's meters are
 * not proxies: an instrument created before the SDK starts stays a no-op, so
 * they are created on first use and again if the global provider changes.
 */
export function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cache?.provider !== provider) cache = { provider, instruments: createInstruments(provider.getMeter(METER_NAME)) };
  return cache.instruments;
}

export function recordHttpServerDuration(
  seconds: number,
  attrs: { method: string; route?: string; statusCode: number },
): void {
  const attributes: Attributes = {
    "http.request.method": attrs.method,
    "http.response.status_code": attrs.statusCode,
  };
  if (attrs.route) attributes["http.route"] = attrs.route;
  instruments().httpServerDuration.record(seconds, attributes);
}

export function recordRateLimitDecisionMetric(policy: string, outcome: RateLimitOutcome): void {
  instruments().rateLimitDecisions.add(1, { policy, outcome });
}

export function recordBudgetBreach(budget: string): void {
  instruments().budgetBreaches.add(1, { budget });
}

export function recordWebVital(name: WebVitalName, value: number, attrs: { route: string; rating: WebVitalRating }) {
  instruments().vitals[name].record(value, { route: attrs.route, rating: attrs.rating });
}

/**
 * Observable gauges for the process: RSS, V8 heap by space, event-loop delay
 * percentiles. Event-loop percentiles cover at most `eventLoopWindowMs` (the
 * histogram is reset after a read once that much time has passed), so they
 * describe recent behaviour rather than the whole uptime. Returns a stop function.
 */
export function startRuntimeMetrics(meter: Meter, eventLoopWindowMs = 60_000): () => void {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let lastReset = Date.now();
  const nsToS = (ns: number) => ns / 1e9;

  const rss = meter.createObservableGauge("process.memory.usage", {
    description: "Resident set size of the process.",
    unit: "By",
    valueType: ValueType.INT,
  });
  const heapUsed = meter.createObservableGauge("v8js.memory.heap.used", {
    description: "V8 heap memory used, by heap space.",
    unit: "By",
    valueType: ValueType.INT,
  });
  const heapLimit = meter.createObservableGauge("v8js.memory.heap.limit", {
    description: "V8 heap memory available, by heap space.",
    unit: "By",
    valueType: ValueType.INT,
  });
  const delay = {
    p50: meter.createObservableGauge("nodejs.eventloop.delay.p50", {
      unit: "s",
      description: "Event loop delay, p50.",
    }),
    p90: meter.createObservableGauge("nodejs.eventloop.delay.p90", {
      unit: "s",
      description: "Event loop delay, p90.",
    }),
    p99: meter.createObservableGauge("nodejs.eventloop.delay.p99", {
      unit: "s",
      description: "Event loop delay, p99.",
    }),
    max: meter.createObservableGauge("nodejs.eventloop.delay.max", {
      unit: "s",
      description: "Event loop delay, max.",
    }),
  };

  const callback: Parameters<Meter["addBatchObservableCallback"]>[0] = (result) => {
    result.observe(rss, process.memoryUsage.rss());
    for (const space of getHeapSpaceStatistics()) {
      const attrs = { "v8js.heap.space.name": space.space_name };
      result.observe(heapUsed, space.space_used_size, attrs);
      result.observe(heapLimit, space.space_size, attrs);
    }
    // Before the first delay sample the histogram reports NaN-like huge minimums; skip it.
    if (loop.count > 0) {
      result.observe(delay.p50, nsToS(loop.percentile(50)));
      result.observe(delay.p90, nsToS(loop.percentile(90)));
      result.observe(delay.p99, nsToS(loop.percentile(99)));
      result.observe(delay.max, nsToS(loop.max));
    }
    if (Date.now() - lastReset >= eventLoopWindowMs) {
      loop.reset();
      lastReset = Date.now();
    }
  };
  const observables = [rss, heapUsed, heapLimit, delay.p50, delay.p90, delay.p99, delay.max];
  meter.addBatchObservableCallback(callback, observables);
  return () => {
    meter.removeBatchObservableCallback(callback, observables);
    loop.disable();
  };
}
