import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import {
  type PolicyName,
  type PolicyOverrides,
  type RateLimitPolicies,
  type RateLimitPolicy,
  resolvePolicies,
} from "./policies";

export type RateLimitOutcome = "allowed" | "limited" | "insurance_allowed" | "insurance_limited";
/** What a key identifies, for telemetry (the key itself is never reported). */
export type KeyKind = "user" | "ip" | "email_ip" | (string & {});

export interface RateLimitDecision {
  policy: PolicyName;
  keyKind: KeyKind;
  outcome: RateLimitOutcome;
  allowed: boolean;
  /** True when Redis failed and the in-memory insurance limiter decided. */
  insurance: boolean;
  limit: number;
  remaining: number;
  consumed: number;
  windowSeconds: number;
  /** Seconds until the counter resets (or the block ends). */
  resetSeconds: number;
  /** Seconds the client must wait; 0 when allowed. */
  retryAfterSeconds: number;
}

/** What `onDecision` listeners receive: the decision without anything identifying the client. */
export type DecisionEvent = RateLimitDecision;

export class RateLimitedError extends Error {
  override readonly name = "RateLimitedError";
  readonly policy: PolicyName;
  readonly retryAfterSeconds: number;
  readonly limit: number;
  readonly remaining: number;
  readonly resetSeconds: number;
  constructor(readonly decision: RateLimitDecision) {
    super("Too many requests");
    this.policy = decision.policy;
    this.retryAfterSeconds = decision.retryAfterSeconds;
    this.limit = decision.limit;
    this.remaining = decision.remaining;
    this.resetSeconds = decision.resetSeconds;
  }
}

export interface ConsumeOptions {
  points?: number;
  keyKind?: KeyKind;
}

export interface PolicyLimiter {
  readonly name: PolicyName;
  readonly policy: RateLimitPolicy;
  /** Counts `points` (default 1) for `key`. Resolves with the decision when allowed; rejects with RateLimitedError when not. */
  consume(key: string, options?: number | ConsumeOptions): Promise<RateLimitDecision>;
  /** Refuses (RateLimitedError) when `key` has already used its quota, without counting anything. */
  check(key: string, options?: { keyKind?: KeyKind }): Promise<RateLimitDecision>;
  /** Current state of `key`, or null when it has no counter. */
  get(key: string): Promise<{ consumed: number; remaining: number; resetSeconds: number } | null>;
  /** Gives back points (e.g. a request that should not have counted). */
  reward(key: string, points?: number): Promise<void>;
  /** Forgets `key` entirely (e.g. a successful sign-in clears the failure counter). */
  delete(key: string): Promise<void>;
  /** Locks `key` out for `seconds`. */
  block(key: string, seconds: number): Promise<void>;
}

export interface AuthLimiter {
  /** Call before verifying a password: rejects with RateLimitedError while this email+IP or this IP is locked out. */
  check(email: string, ip: string): Promise<void>;
  /** A failed sign-in: counts for email+IP (locking it out after the limit) and for the IP's daily cap. */
  recordFailure(email: string, ip: string): Promise<RateLimitDecision>;
  /** A successful sign-in: clears the email+IP failure counter (the daily IP cap only counts failures). */
  recordSuccess(email: string, ip: string): Promise<void>;
}

export interface RateLimiters {
  readonly policies: RateLimitPolicies;
  /** "redis" (with memory insurance) or "memory" (no Redis configured). */
  readonly store: "redis" | "memory";
  readonly api: PolicyLimiter;
  readonly authFailures: PolicyLimiter;
  readonly authDaily: PolicyLimiter;
  readonly heavy: PolicyLimiter;
  readonly vitals: PolicyLimiter;
  readonly auth: AuthLimiter;
  /** Adds a decision listener (telemetry); returns an unsubscribe function. */
  onDecision(listener: (d: DecisionEvent) => void): () => void;
}

export interface CreateRateLimitersOptions {
  /** An ioredis client created with `enableOfflineQueue: false` (see createRedisClient). Null/undefined = memory only. */
  redis?: Redis | null;
  policies?: PolicyOverrides;
  onDecision?: (d: DecisionEvent) => void;
  /** Prefix of every Redis key; one per app (and per test) so counters do not collide. Default "tm:rl". */
  keyPrefix?: string;
}

// Options objects the insurance limiter has seen: that is how a decision
// learns Redis failed, since the library swaps limiters transparently.
class InsuranceLimiter extends RateLimiterMemory {
  readonly used = new WeakSet<object>();
  private mark(options: unknown) {
    if (options && typeof options === "object") this.used.add(options);
  }
  override consume(key: string | number, points?: number, options: Record<string, unknown> = {}) {
    this.mark(options);
    return super.consume(key, points, options);
  }
  override get(key: string | number, options: Record<string, unknown> = {}) {
    this.mark(options);
    return super.get(key, options);
  }
}

/** Shortens an email to a stable pseudonym so Redis never holds addresses. */
function pseudonym(value: string): string {
  return createHash("sha256").update(value.trim().toLowerCase()).digest("hex").slice(0, 32);
}

export function emailIpKey(email: string, ip: string): string {
  return `${pseudonym(email)}:${ip}`;
}

function toSeconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/**
 * One limiter per policy, Redis-backed when a client is given (several API
 * processes then share one limit) with a RateLimiterMemory insurance limiter
 * that answers whenever Redis errors, or memory-only without Redis.
 */
export function createRateLimiters(options: CreateRateLimitersOptions = {}): RateLimiters {
  const policies = resolvePolicies(options.policies);
  const prefix = options.keyPrefix ?? "tm:rl";
  const redis = options.redis ?? null;
  const listeners = new Set<(d: DecisionEvent) => void>();
  if (options.onDecision) listeners.add(options.onDecision);

  const emit = (decision: RateLimitDecision) => {
    for (const listener of listeners) {
      try {
        listener(decision);
      } catch {
        // Telemetry must never break rate limiting.
      }
    }
  };

  const build = (name: PolicyName): PolicyLimiter => {
    const policy = policies[name];
    const base = { keyPrefix: `${prefix}:${name}`, points: policy.points, duration: policy.durationSeconds };
    const insurance = redis ? new InsuranceLimiter(base) : null;
    const limiter = redis
      ? new RateLimiterRedis({
          ...base,
          storeClient: redis,
          // Fail over to insurance immediately instead of waiting on a dead connection.
          rejectIfRedisNotReady: true,
          insuranceLimiter: insurance ?? undefined,
        })
      : new RateLimiterMemory(base);

    const decide = (res: RateLimiterRes, allowed: boolean, usedInsurance: boolean, keyKind: KeyKind) => {
      const resetSeconds = toSeconds(res.msBeforeNext);
      const decision: RateLimitDecision = {
        policy: name,
        keyKind,
        outcome: `${usedInsurance ? "insurance_" : ""}${allowed ? "allowed" : "limited"}` as RateLimitOutcome,
        allowed,
        insurance: usedInsurance,
        limit: policy.points,
        remaining: allowed ? Math.max(0, res.remainingPoints) : 0,
        consumed: res.consumedPoints,
        windowSeconds: policy.durationSeconds,
        resetSeconds,
        retryAfterSeconds: allowed ? 0 : Math.max(1, resetSeconds),
      };
      emit(decision);
      return decision;
    };

    const wasInsurance = (opts: object) => insurance?.used.has(opts) ?? false;

    return {
      name,
      policy,
      async consume(key, opt) {
        const { points = 1, keyKind = "key" } = typeof opt === "number" ? { points: opt } : (opt ?? {});
        const opts = {};
        try {
          const res = await limiter.consume(key, points, opts);
          return decide(res, true, wasInsurance(opts), keyKind);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          const decision = decide(err, false, wasInsurance(opts), keyKind);
          if (policy.blockSeconds > 0 && err.consumedPoints === policy.points + 1) {
            // First request over the limit starts the lock-out (later ones do not extend it).
            await limiter.block(key, policy.blockSeconds).catch(() => undefined);
            decision.resetSeconds = decision.retryAfterSeconds = policy.blockSeconds;
          }
          throw new RateLimitedError(decision);
        }
      },
      async check(key, opt = {}) {
        const opts = {};
        const res = await limiter.get(key, opts);
        const used = res?.consumedPoints ?? 0;
        const decision = decide(
          res ?? new RateLimiterRes(policy.points, 0, 0, false),
          used < policy.points,
          wasInsurance(opts),
          opt.keyKind ?? "key",
        );
        if (!decision.allowed) throw new RateLimitedError(decision);
        return decision;
      },
      async get(key) {
        const res = await limiter.get(key);
        if (!res) return null;
        return {
          consumed: res.consumedPoints,
          remaining: Math.max(0, res.remainingPoints),
          resetSeconds: toSeconds(res.msBeforeNext),
        };
      },
      async reward(key, points = 1) {
        await limiter.reward(key, points);
      },
      async delete(key) {
        await limiter.delete(key);
      },
      async block(key, seconds) {
        await limiter.block(key, seconds);
      },
    };
  };

  const api = build("api");
  const authFailures = build("authFailures");
  const authDaily = build("authDaily");

  const auth: AuthLimiter = {
    async check(email, ip) {
      await authDaily.check(ip, { keyKind: "ip" });
      await authFailures.check(emailIpKey(email, ip), { keyKind: "email_ip" });
    },
    async recordFailure(email, ip) {
      const key = emailIpKey(email, ip);
      const [perEmail] = await Promise.all([
        authFailures.consume(key, { keyKind: "email_ip" }).catch(rateLimitedDecision),
        authDaily.consume(ip, { keyKind: "ip" }).catch(rateLimitedDecision),
      ]);
      const { blockSeconds, points } = authFailures.policy;
      // The failure that uses the last attempt starts the lock-out, so the next try is refused for blockSeconds.
      if (blockSeconds > 0 && perEmail.consumed === points) await authFailures.block(key, blockSeconds);
      return perEmail;
    },
    async recordSuccess(email, ip) {
      await authFailures.delete(emailIpKey(email, ip));
    },
  };

  return {
    policies,
    store: redis ? "redis" : "memory",
    api,
    authFailures,
    authDaily,
    heavy: build("heavy"),
    vitals: build("vitals"),
    auth,
    onDecision(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function rateLimitedDecision(err: unknown): RateLimitDecision {
  if (err instanceof RateLimitedError) return err.decision;
  throw err;
}
