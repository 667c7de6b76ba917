import type { CreateExpressContextOptions } from "@trpc/server/adapters/express";
import type { Request, Response } from "express";
import { type AccessClaims, readAccessToken } from "./auth/tokens";
import type { ApiDeps } from "./deps";

export interface RequestContext {
  deps: ApiDeps;
  req: Request;
  res: Response;
  requestId: string;
  ip: string;
  userAgent: string | null;
  /** The verified access token's claims, or null when signed out or the token is invalid/expired. */
  auth: AccessClaims | null;
}

export function contextFactory(deps: ApiDeps) {
  return async ({ req, res }: CreateExpressContextOptions): Promise<RequestContext> => ({
    deps,
    req,
    res,
    requestId: String(res.locals.requestId ?? ""),
    ip: String(res.locals.clientIp ?? req.socket.remoteAddress ?? "unknown"),
    userAgent: req.get("user-agent")?.slice(0, 300) ?? null,
    auth: await readAccessToken(req, deps.config),
  });
}
