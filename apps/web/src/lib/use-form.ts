import { type ChangeEvent, type FormEvent, useCallback, useMemo, useRef, useState } from "react";
import { describeError, type FieldErrors, readApiError } from "./errors";
import { type SafeParser, validate } from "./validation";

/**
 * The declared fields of V that hold text, which an input can edit directly.
 * Form value types extend Record<string, unknown>; its index signature is skipped.
 */
type TextField<V> = keyof { [K in keyof V as string extends K ? never : V[K] extends string ? K : never]: true } &
  string;

interface FormOptions<V, T> {
  schema: SafeParser<T>;
  initial: V;
  /** Maps the raw form values to the schema's input (e.g. "a, b" → ["a", "b"]). */
  toInput: (values: V) => unknown;
}

/**
 * Form state validated by a shared schema. A field's client-side errors show
 * once it was left (blur) or a submit was attempted, so the user isn't scolded
 * while typing; server field errors show until that field changes.
 */
export function useForm<V extends Record<string, unknown>, T>({ schema, initial, toInput }: FormOptions<V, T>) {
  const [values, setValues] = useState<V>(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const result = useMemo(() => validate(schema, toInput(values)), [schema, toInput, values]);

  const errorsFor = useCallback(
    (field: keyof V & string): string[] | undefined => {
      const client = submitted || touched.has(field) ? result.errors[field] : undefined;
      return client ?? serverErrors[field];
    },
    [result, submitted, touched, serverErrors],
  );

  const set = useCallback(<K extends keyof V & string>(field: K, value: V[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
  }, []);

  const blur = useCallback((field: keyof V & string) => {
    setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  }, []);

  /** What a text input needs to edit `field`: its value, the change handler and the blur that reveals errors. */
  const bind = <K extends TextField<V>>(field: K) => ({
    value: values[field] as string,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      set(field, e.target.value as V[K]),
    onBlur: () => blur(field),
  });

  const focusFirstInvalid = useCallback(
    () => requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()),
    [],
  );

  /** Shows what the server said: field errors inline, anything else as the form's message. */
  const showServerError = useCallback(
    (err: unknown, context?: Parameters<typeof describeError>[1]) => {
      const fieldErrors = readApiError(err).fieldErrors;
      setServerErrors(fieldErrors);
      setFormError(describeError(err, context));
      if (Object.keys(fieldErrors).length > 0) focusFirstInvalid();
    },
    [focusFirstInvalid],
  );

  const handleSubmit = (onValid: (data: T) => void) => (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (result.ok) onValid(result.data);
    else focusFirstInvalid();
  };

  return {
    values,
    set,
    blur,
    bind,
    errorsFor,
    handleSubmit,
    showServerError,
    formError,
    setFormError,
    formRef,
    reset: (next: V) => {
      setValues(next);
      setTouched(new Set());
      setSubmitted(false);
      setServerErrors({});
      setFormError(null);
    },
  };
}
