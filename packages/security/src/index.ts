export * from "./crypto";
export * from "./env";
export * from "./http";
export * from "./passwords";
export * from "./rate-limit";
export { isSecretKey, REDACTED, redact } from "./redact";
export * from "./validation";
