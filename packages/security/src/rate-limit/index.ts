export {
  type AuthLimiter,
  type ConsumeOptions,
  type CreateRateLimitersOptions,
  createRateLimiters,
  type DecisionEvent,
  emailIpKey,
  type KeyKind,
  type PolicyLimiter,
  type RateLimitDecision,
  RateLimitedError,
  type RateLimiters,
  type RateLimitOutcome,
} from "./limiters";
export {
  type RateLimitMiddlewareOptions,
  rateLimitedBody,
  rateLimitHeaders,
  rateLimitMiddleware,
} from "./middleware";
export {
  DEFAULT_POLICIES,
  POLICY_NAMES,
  type PolicyName,
  type PolicyOverrides,
  type RateLimitPolicies,
  type RateLimitPolicy,
  resolvePolicies,
  type SlowDownPolicy,
  slowDownDelayMs,
} from "./policies";
export { createRedisClient } from "./redis";
