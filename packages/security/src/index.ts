export * from "./crypto";
export * from "./passwords";
export { isSecretKey, REDACTED, redact } from "./redact";
export * from "./validation";
