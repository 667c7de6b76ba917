import express, { type Express } from "express";

export interface AppDeps {
  version: string;
}

/** Builds the Express app without listening, so tests can mount it on an ephemeral port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  const startedAt = Date.now();
  app.get("/api/health/live", (_req, res) => {
    res.json({ status: "ok", version: deps.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });
  return app;
}
