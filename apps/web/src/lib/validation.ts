import type { FieldErrors } from "./errors";

/**
 * The part of a zod schema the forms use. Typed structurally so the web app
 * depends on the shared schemas' behaviour, not on zod's class hierarchy.
 */
export interface SafeParser<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

export const FORM_ERROR_KEY = "_form";

export type Validation<T> = { ok: true; data: T; errors: FieldErrors } | { ok: false; errors: FieldErrors };

/** Runs a shared schema and groups its issues by top-level field, in the order zod reports them. */
export function validate<T>(schema: SafeParser<T>, value: unknown): Validation<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const head = issue.path[0];
    const key = typeof head === "string" || typeof head === "number" ? String(head) : FORM_ERROR_KEY;
    const list = errors[key] ?? [];
    if (!list.includes(issue.message)) list.push(issue.message);
    errors[key] = list;
  }
  return { ok: false, errors };
}
