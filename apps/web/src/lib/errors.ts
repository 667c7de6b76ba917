/**
 * Turns whatever a tRPC call rejected with into what the UI shows: a sentence
 * for the user and, for validation failures, messages per form field.
 * Reads the error structurally so it works for TRPCClientError and for
 * network failures alike.
 */

export type FieldErrors = Partial<Record<string, string[]>>;

export interface ApiError {
  /** tRPC error code (`UNAUTHORIZED`, `TOO_MANY_REQUESTS`, ...), absent for network failures. */
  code: string | undefined;
  /** Seconds until a rate-limited call may be retried. */
  retryAfter: number | undefined;
  fieldErrors: FieldErrors;
  message: string;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null;

function readFieldErrors(data: Loose | undefined): FieldErrors {
  const zodError = data?.zodError;
  if (!isObject(zodError) || !isObject(zodError.fieldErrors)) return {};
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(zodError.fieldErrors)) {
    if (Array.isArray(messages)) {
      const strings = messages.filter((m): m is string => typeof m === "string");
      if (strings.length > 0) out[field] = strings;
    }
  }
  return out;
}

export function readApiError(err: unknown): ApiError {
  const data = isObject(err) && isObject(err.data) ? err.data : undefined;
  const code = typeof data?.code === "string" ? data.code : undefined;
  const retryAfter =
    typeof data?.retryAfter === "number" && Number.isFinite(data.retryAfter) ? data.retryAfter : undefined;
  const message = isObject(err) && typeof err.message === "string" ? err.message : String(err);
  return { code, retryAfter, fieldErrors: readFieldErrors(data), message };
}

/** "Too many attempts. Try again in 3 minutes." — rounded up, so the user never retries too early. */
export function retryAfterMessage(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 0) return "Too many attempts. Try again later.";
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

export const SESSION_ENDED_MESSAGE = "Your session ended, please sign in again.";

export type ErrorContext = "signIn" | "general";

/** The sentence to show for a failed call. */
export function describeError(err: unknown, context: ErrorContext = "general"): string {
  const e = readApiError(err);
  switch (e.code) {
    case "TOO_MANY_REQUESTS":
      return retryAfterMessage(e.retryAfter);
    case "UNAUTHORIZED":
      return context === "signIn" ? "The email, password or code is not correct." : SESSION_ENDED_MESSAGE;
    case "FORBIDDEN":
      return "You don't have permission to change this. Ask the project owner for editor access.";
    case "NOT_FOUND":
      return "This item doesn't exist or you no longer have access to it.";
    case "CONFLICT":
      return e.message || "That conflicts with the current state. Reload and try again.";
    case "BAD_REQUEST":
      if (Object.keys(e.fieldErrors).length > 0) return "Please correct the highlighted fields.";
      // A raw zod issue list is for developers, not users.
      return /^\s*[[{]/.test(e.message) ? "The server rejected the request as invalid." : e.message;
    case undefined:
      return "The server could not be reached. Check your connection and try again.";
    default:
      return "Something went wrong on our side. Please try again.";
  }
}
