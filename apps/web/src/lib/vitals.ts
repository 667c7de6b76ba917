import type { Metric } from "web-vitals";

export type VitalName = "LCP" | "INP" | "CLS" | "FCP" | "TTFB";

export interface VitalReport {
  name: VitalName;
  value: number;
  rating: Metric["rating"];
  id: string;
  navigationType: Metric["navigationType"];
  route: string;
}

export const VITALS_URL = "/api/vitals";
export const MAX_BATCH = 50;

export interface VitalsQueue {
  add(metric: Pick<Metric, "name" | "value" | "rating" | "id" | "navigationType">): void;
  /** Sends everything queued, in batches of at most MAX_BATCH. */
  flush(): void;
  readonly size: number;
}

interface QueueOptions {
  /** `navigator.sendBeacon`: it survives the page being unloaded, which fetch does not guarantee. */
  sendBeacon: (url: string, body: Blob) => boolean;
  /** Used when the browser refuses the beacon (its queue is full). */
  fallback?: (url: string, body: string) => void;
  currentRoute: () => string;
}

const NAMES = new Set<string>(["LCP", "INP", "CLS", "FCP", "TTFB"]);

export function createVitalsQueue(options: QueueOptions): VitalsQueue {
  let queue: VitalReport[] = [];
  return {
    add(metric) {
      if (!NAMES.has(metric.name)) return;
      // A metric reported again (CLS, INP grow over the page's life) replaces its earlier value.
      queue = queue.filter((r) => r.id !== metric.id);
      queue.push({
        name: metric.name as VitalName,
        value: metric.value,
        rating: metric.rating,
        id: metric.id,
        navigationType: metric.navigationType,
        route: options.currentRoute(),
      });
    },
    flush() {
      const pending = queue;
      queue = [];
      for (let i = 0; i < pending.length; i += MAX_BATCH) {
        const body = JSON.stringify(pending.slice(i, i + MAX_BATCH));
        const queued = options.sendBeacon(VITALS_URL, new Blob([body], { type: "application/json" }));
        if (!queued) options.fallback?.(VITALS_URL, body);
      }
    },
    get size() {
      return queue.length;
    },
  };
}

/** Starts measuring; reports are flushed when the page is hidden or unloaded, the moments browsers still deliver beacons. */
export async function startVitals(currentRoute: () => string): Promise<void> {
  if (typeof navigator.sendBeacon !== "function") return;
  const { onCLS, onFCP, onINP, onLCP, onTTFB } = await import("web-vitals");
  const queue = createVitalsQueue({
    sendBeacon: (url, body) => navigator.sendBeacon(url, body),
    fallback: (url, body) => {
      void fetch(url, {
        method: "POST",
        body,
        keepalive: true,
        credentials: "include",
        headers: { "Content-Type": "application/json", "X-TaskMaster-Client": "web" },
      }).catch(() => {});
    },
    currentRoute,
  });
  const add = (m: Metric) => queue.add(m);
  onCLS(add);
  onFCP(add);
  onINP(add);
  onLCP(add);
  onTTFB(add);
  addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") queue.flush();
  });
  addEventListener("pagehide", () => queue.flush());
}
