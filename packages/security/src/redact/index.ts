/** What replaces a secret value in logs and error reports. */
export const REDACTED = "[REDACTED]";

// Matched against key names, case-insensitively, at any depth.
const SECRET_KEY =
  /pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|encryption[-_]?key|^key$|authorization|cookie|session|credential|^otp$|totp|mfa[-_]?code|signature/i;

// Values that look like credentials even under an innocent key.
const SECRET_VALUE = [
  /^Bearer\s+\S+/i,
  /^Basic\s+\S+/i,
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}\b/, // JWT
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, // URL with user:password@
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function redactString(value: string): string {
  return SECRET_VALUE.some((re) => re.test(value))
    ? value
        .replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+@/gi, `$1${REDACTED}@`)
        .replace(/^(Bearer|Basic)\s+\S+|\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}\b/gi, REDACTED)
    : value;
}

/**
 * A deep copy of `value` with secrets replaced: any property whose key names a
 * secret (password, token, cookie, authorization, ...) at any depth, and
 * string values that look like bearer tokens, JWTs or URLs with passwords.
 * Handles cycles, Errors, Maps, arrays; never mutates its input.
 */
export function redact(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Date) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redact(item, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, v] of value) out.set(k, typeof k === "string" && isSecretKey(k) ? REDACTED : redact(v, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  if (value instanceof Error) {
    out.name = value.name;
    out.message = redactString(value.message);
    if (value.stack) out.stack = redactString(value.stack);
  }
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? REDACTED : redact(v, seen);
  }
  return out;
}
