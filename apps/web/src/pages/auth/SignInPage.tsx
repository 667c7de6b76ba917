import { useMutation } from "@tanstack/react-query";
import { signInInput } from "@taskmaster/security/schemas";
import { useCallback, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { Field, FormError } from "../../components/Field";
import { useAuth } from "../../lib/auth";
import { ROUTES } from "../../lib/routes";
import { useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";
import { usePageTitle } from "../../lib/use-page-title";

const initial = { email: "", password: "", totp: "" };
type Values = typeof initial;

/** Only same-app paths: an attacker-supplied `next=https://evil` must not redirect off-site. */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : ROUTES.dashboard;
}

export function SignInPage() {
  const trpc = useTRPC();
  const auth = useAuth();
  const search = useSearch();
  const [, navigate] = useLocation();
  const [mfaStep, setMfaStep] = useState(false);
  const notice = auth.session.status === "signedOut" ? auth.session.notice : null;
  const headingRef = usePageTitle(mfaStep ? "Two-factor code" : "Sign in");

  const toInput = useCallback(
    (v: Values) => ({ email: v.email, password: v.password, ...(mfaStep ? { totp: v.totp } : {}) }),
    [mfaStep],
  );
  const form = useForm({ schema: signInInput, initial, toInput });

  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: (result) => {
        if (result.status === "mfa_required") {
          setMfaStep(true);
          form.setFormError(null);
          return;
        }
        auth.signedIn(result.user);
        navigate(safeNext(search), { replace: true });
      },
      onError: (err) => form.showServerError(err, "signIn"),
    }),
  );

  return (
    <main id="main" className="auth-page">
      <h1 ref={headingRef} tabIndex={-1}>
        {mfaStep ? "Enter your two-factor code" : "Sign in to TaskMaster Pro"}
      </h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form ref={form.formRef} noValidate onSubmit={form.handleSubmit((data) => signIn.mutate(data))}>
        {!mfaStep && (
          <>
            <Field label="Email" name="email" errors={form.errorsFor("email")}>
              {(p) => <input {...p} type="email" autoComplete="username" {...form.bind("email")} />}
            </Field>
            <Field label="Password" name="password" errors={form.errorsFor("password")}>
              {(p) => <input {...p} type="password" autoComplete="current-password" {...form.bind("password")} />}
            </Field>
          </>
        )}
        {mfaStep && (
          <Field
            label="Authentication code"
            name="totp"
            hint="The 6-digit code from your authenticator app."
            errors={form.errorsFor("totp")}
          >
            {(p) => (
              <input {...p} inputMode="numeric" autoComplete="one-time-code" maxLength={6} {...form.bind("totp")} />
            )}
          </Field>
        )}
        <FormError message={form.formError} />
        <button className="button primary" type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : mfaStep ? "Verify" : "Sign in"}
        </button>
        {mfaStep && (
          <button
            className="button ghost"
            type="button"
            onClick={() => {
              setMfaStep(false);
              form.set("totp", "");
            }}
          >
            Back
          </button>
        )}
      </form>
      <p>
        New here? <Link href={ROUTES.signUp}>Create an account</Link>
      </p>
    </main>
  );
}
