import { useMutation } from "@tanstack/react-query";
import { signUpInput } from "@taskmaster/security/schemas";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "../../components/Field";
import { useAuth } from "../../lib/auth";
import { ROUTES } from "../../lib/routes";
import { useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";
import { usePageTitle } from "../../lib/use-page-title";

const initial = { displayName: "", email: "", password: "" };
const identity = (v: typeof initial) => v;

export function SignUpPage() {
  const trpc = useTRPC();
  const auth = useAuth();
  const [, navigate] = useLocation();
  const headingRef = usePageTitle("Create an account");
  const form = useForm({ schema: signUpInput, initial, toInput: identity });

  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: ({ user }) => {
        auth.signedIn(user);
        navigate(ROUTES.dashboard, { replace: true });
      },
      onError: (err) => form.showServerError(err),
    }),
  );

  return (
    <main id="main" className="auth-page">
      <h1 ref={headingRef} tabIndex={-1}>
        Create your account
      </h1>
      <form ref={form.formRef} noValidate onSubmit={form.handleSubmit((data) => signUp.mutate(data))}>
        <Field label="Display name" name="displayName" errors={form.errorsFor("displayName")}>
          {(p) => <input {...p} autoComplete="name" {...form.bind("displayName")} />}
        </Field>
        <Field label="Email" name="email" errors={form.errorsFor("email")}>
          {(p) => <input {...p} type="email" autoComplete="email" {...form.bind("email")} />}
        </Field>
        <Field
          label="Password"
          name="password"
          hint="At least 8 characters with an uppercase and a lowercase letter, a digit and a symbol."
          errors={form.errorsFor("password")}
        >
          {(p) => <input {...p} type="password" autoComplete="new-password" {...form.bind("password")} />}
        </Field>
        <FormError message={form.formError} />
        <button className="button primary" type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link href={ROUTES.signIn}>Sign in</Link>
      </p>
    </main>
  );
}
