/**
 * Rate-limit policies as data (SPEC §4). Defaults come from the product
 * documents; every figure can be overridden from configuration.
 */

export interface RateLimitPolicy {
  /** Requests (or failures) allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
  /** Once the limit is reached, refuse for this long (seconds); 0 = until the window ends. */
  blockSeconds: number;
  /** What the limit is keyed by, for docs and telemetry. */
  keyedBy: string;
}

/** Progressive slow-down: above `afterPoints` used in the api window, each extra request waits a bit longer. */
export interface SlowDownPolicy {
  /** Requests in the api window before responses start being delayed. */
  afterPoints: number;
  /** Delay added per request above the threshold (ms). */
  stepMs: number;
  /** Upper bound of the delay (ms), so a slowed request never hangs. */
  maxDelayMs: number;
}

export interface RateLimitPolicies {
  /** All API traffic: per user, per IP when anonymous. */
  api: RateLimitPolicy;
  /** Consecutive failed sign-ins per email+IP; a success clears the counter. */
  authFailures: RateLimitPolicy;
  /** Failed sign-ins per IP per day, whatever the email (credential stuffing). */
  authDaily: RateLimitPolicy;
  /** Uploads, exports and other expensive operations. */
  heavy: RateLimitPolicy;
  /** Browser Web Vitals beacons. */
  vitals: RateLimitPolicy;
  slowDown: SlowDownPolicy;
}

export type PolicyName = Exclude<keyof RateLimitPolicies, "slowDown">;
export const POLICY_NAMES: readonly PolicyName[] = ["api", "authFailures", "authDaily", "heavy", "vitals"];

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_POLICIES: Readonly<RateLimitPolicies> = Object.freeze({
  api: { points: 100, durationSeconds: 15 * MINUTE, blockSeconds: 0, keyedBy: "user id, or IP when anonymous" },
  authFailures: { points: 5, durationSeconds: 15 * MINUTE, blockSeconds: 15 * MINUTE, keyedBy: "email + IP" },
  authDaily: { points: 100, durationSeconds: DAY, blockSeconds: 0, keyedBy: "IP" },
  heavy: { points: 10, durationSeconds: HOUR, blockSeconds: 0, keyedBy: "user id, or IP when anonymous" },
  vitals: { points: 60, durationSeconds: MINUTE, blockSeconds: 0, keyedBy: "IP" },
  // Past half the api quota, +100 ms per request, at most 2 s.
  slowDown: { afterPoints: 50, stepMs: 100, maxDelayMs: 2000 },
});

export type PolicyOverrides = {
  [K in keyof RateLimitPolicies]?: Partial<RateLimitPolicies[K]>;
};

function positiveInt(value: number, name: string, allowZero = false): void {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(`Rate-limit policy ${name} must be ${allowZero ? "a non-negative" : "a positive"} integer`);
  }
}

/** Defaults merged with overrides, validated so a typo in config fails at start-up, not under attack. */
export function resolvePolicies(overrides: PolicyOverrides = {}): RateLimitPolicies {
  const out = {} as RateLimitPolicies;
  for (const name of POLICY_NAMES) {
    const p = { ...DEFAULT_POLICIES[name], ...overrides[name] };
    positiveInt(p.points, `${name}.points`);
    positiveInt(p.durationSeconds, `${name}.durationSeconds`);
    positiveInt(p.blockSeconds, `${name}.blockSeconds`, true);
    out[name] = p;
  }
  const s = { ...DEFAULT_POLICIES.slowDown, ...overrides.slowDown };
  positiveInt(s.afterPoints, "slowDown.afterPoints");
  positiveInt(s.stepMs, "slowDown.stepMs", true);
  positiveInt(s.maxDelayMs, "slowDown.maxDelayMs", true);
  out.slowDown = s;
  return out;
}

/** How long to delay a request that is the `consumed`-th in its window (ms, bounded). */
export function slowDownDelayMs(consumed: number, policy: SlowDownPolicy): number {
  const over = consumed - policy.afterPoints;
  return over <= 0 ? 0 : Math.min(over * policy.stepMs, policy.maxDelayMs);
}
