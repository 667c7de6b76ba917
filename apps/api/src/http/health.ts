import { statfs } from "node:fs/promises";
import { Router as createRouter, type Router } from "express";
import type { ApiDeps } from "../deps";

type Status = "healthy" | "degraded" | "unhealthy";

export interface Lifecycle {
  /** False from the moment shutdown starts: readiness answers 503 so load balancers drain us. */
  ready: boolean;
  startedAt: number;
}

const CHECK_TIMEOUT_MS = 1_000;
const DISK_DEGRADED_RATIO = 0.9;
const DISK_UNHEALTHY_RATIO = 0.98;

async function diskUsage(path: string) {
  const s = await statfs(path);
  const total = s.blocks * s.bsize;
  const free = s.bavail * s.bsize;
  const usedRatio = total > 0 ? (total - free) / total : 0;
  return {
    status: (usedRatio >= DISK_UNHEALTHY_RATIO
      ? "unhealthy"
      : usedRatio >= DISK_DEGRADED_RATIO
        ? "degraded"
        : "healthy") as Status,
    path,
    totalBytes: total,
    freeBytes: free,
    usedPercent: Math.round(usedRatio * 1000) / 10,
  };
}

function memory(degradedBytes: number) {
  const m = process.memoryUsage();
  return {
    status: (m.rss > degradedBytes ? "degraded" : "healthy") as Status,
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
    degradedAboveBytes: degradedBytes,
  };
}

const worst = (statuses: Status[]): Status =>
  statuses.includes("unhealthy") ? "unhealthy" : statuses.includes("degraded") ? "degraded" : "healthy";

/** Health endpoints, mounted at /api/health before any rate limiter, so probes are never limited. */
export function healthRouter(deps: ApiDeps, lifecycle: Lifecycle): Router {
  const r = createRouter();
  const noStore = (res: { setHeader(k: string, v: string): void }) => res.setHeader("Cache-Control", "no-store");

  const runChecks = () =>
    Promise.all(
      deps.checks.map(async (c) => {
        const result = await c
          .check(CHECK_TIMEOUT_MS)
          .catch((err: Error) => ({ ok: false, latencyMs: CHECK_TIMEOUT_MS, error: err.message }));
        const status: Status = result.ok ? "healthy" : c.critical ? "unhealthy" : "degraded";
        return [
          c.name,
          {
            status,
            latencyMs: Math.round(result.latencyMs * 10) / 10,
            ...(result.error ? { error: result.error } : {}),
          },
        ] as const;
      }),
    );

  r.get("/live", (_req, res) => {
    noStore(res);
    res.json({ status: "ok", uptimeSeconds: Math.round((Date.now() - lifecycle.startedAt) / 1000) });
  });

  r.get("/ready", async (_req, res) => {
    noStore(res);
    if (!lifecycle.ready) {
      res.status(503).json({ status: "shutting_down" });
      return;
    }
    const checks = Object.fromEntries(await runChecks());
    const ready = Object.values(checks).every((c) => c.status !== "unhealthy");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", checks });
  });

  r.get("/", async (_req, res) => {
    noStore(res);
    const [checks, disk] = await Promise.all([
      runChecks(),
      diskUsage(deps.config.diskPath).catch((err: Error) => ({ status: "degraded" as Status, error: err.message })),
    ]);
    const services = { ...Object.fromEntries(checks), memory: memory(deps.config.memoryDegradedBytes), disk };
    const status = lifecycle.ready ? worst(Object.values(services).map((s) => s.status)) : "unhealthy";
    res.status(status === "unhealthy" ? 503 : 200).json({
      status,
      version: deps.config.version,
      uptimeSeconds: Math.round((Date.now() - lifecycle.startedAt) / 1000),
      timestamp: new Date().toISOString(),
      services,
    });
  });
  return r;
}
