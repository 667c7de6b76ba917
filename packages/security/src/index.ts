export { isSecretKey, REDACTED, redact } from "./redact";
export * from "./validation";
