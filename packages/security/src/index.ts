export { isSecretKey, REDACTED, redact } from "./redact";
