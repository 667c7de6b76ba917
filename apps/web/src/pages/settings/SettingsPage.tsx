import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { changePasswordInput, totpCode } from "@taskmaster/security/schemas";
import { lazy, Suspense, useEffect, useState } from "react";
import { Field, FormError } from "../../components/Field";
import { QueryError } from "../../components/QueryError";
import { useAuth } from "../../lib/auth";
import { describeError } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";
import { usePageTitle } from "../../lib/use-page-title";
import type { SafeParser } from "../../lib/validation";

/** The shared `totpCode` field as a one-field form schema, issues keyed by "code". */
const codeForm: SafeParser<{ code: string }> = {
  safeParse(value) {
    const r = totpCode.safeParse((value as { code: string }).code);
    if (r.success) return { success: true, data: { code: r.data } };
    return { success: false, error: { issues: r.error.issues.map((i) => ({ message: i.message, path: ["code"] })) } };
  },
};
const codeIdentity = (v: { code: string }) => v;

// `qrcode` is only needed while enrolling, so it stays out of the initial bundle.
const QrCode = lazy(() => import("./QrCode").then((m) => ({ default: m.QrCode })));

function Sessions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.auth.sessions.list.queryOptions());
  const revoke = useMutation(
    trpc.auth.sessions.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.auth.sessions.list.queryFilter()),
    }),
  );
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Signed-in devices</h2>
      {sessions.isError && <QueryError error={sessions.error} retry={() => void sessions.refetch()} />}
      {sessions.isPending && <p className="loading">Loading sessions…</p>}
      {sessions.data && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">IP address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.userAgent || "Unknown device"}
                  {s.current && <span className="badge">This device</span>}
                </td>
                <td>{s.ip || "–"}</td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{formatDateTime(s.lastSeenAt)}</td>
                <td>
                  {!s.current && (
                    <button
                      type="button"
                      className="button danger"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ id: s.id })}
                    >
                      Sign out<span className="visually-hidden"> this device</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError message={revoke.error ? describeError(revoke.error) : null} />
    </section>
  );
}

const passwordInitial = { currentPassword: "", newPassword: "" };
const identity = (v: typeof passwordInitial) => v;

function ChangePassword() {
  const trpc = useTRPC();
  const auth = useAuth();
  const form = useForm({ schema: changePasswordInput, initial: passwordInitial, toInput: identity });
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      // Every session is revoked on a password change (SPEC §4), this one included.
      onSuccess: () => auth.signedOut(),
      onError: (err) => form.showServerError(err),
    }),
  );
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <p className="muted">Changing your password signs you out on every device, this one included.</p>
      <form ref={form.formRef} noValidate onSubmit={form.handleSubmit((d) => change.mutate(d))}>
        <Field label="Current password" name="currentPassword" errors={form.errorsFor("currentPassword")}>
          {(p) => <input {...p} type="password" autoComplete="current-password" {...form.bind("currentPassword")} />}
        </Field>
        <Field label="New password" name="newPassword" errors={form.errorsFor("newPassword")}>
          {(p) => <input {...p} type="password" autoComplete="new-password" {...form.bind("newPassword")} />}
        </Field>
        <FormError message={form.formError} />
        <button type="submit" className="button primary" disabled={change.isPending}>
          Change password
        </button>
      </form>
    </section>
  );
}

interface CodeFormProps {
  label: string;
  action: string;
  pending: boolean;
  error: unknown;
  onCode: (code: string) => void;
}

function CodeForm({ label, action, pending, error, onCode }: CodeFormProps) {
  const form = useForm({ schema: codeForm, initial: { code: "" }, toInput: codeIdentity });
  const { showServerError } = form;
  useEffect(() => {
    if (error) showServerError(error);
  }, [error, showServerError]);
  return (
    <form ref={form.formRef} noValidate className="inline-form" onSubmit={form.handleSubmit((d) => onCode(d.code))}>
      <Field label={label} name="code" errors={form.errorsFor("code")}>
        {(p) => <input {...p} inputMode="numeric" autoComplete="one-time-code" maxLength={6} {...form.bind("code")} />}
      </Field>
      <button type="submit" className="button primary" disabled={pending}>
        {action}
      </button>
      <FormError message={form.formError} />
    </form>
  );
}

function Mfa() {
  const trpc = useTRPC();
  const auth = useAuth();
  const user = auth.user;
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const enroll = useMutation(trpc.auth.mfa.enroll.mutationOptions({ onSuccess: setEnrolment }));
  const verify = useMutation(
    trpc.auth.mfa.verify.mutationOptions({
      onSuccess: () => {
        if (user) auth.updateUser({ ...user, mfaEnabled: true });
        setEnrolment(null);
      },
    }),
  );
  const disable = useMutation(
    trpc.auth.mfa.disable.mutationOptions({
      onSuccess: () => user && auth.updateUser({ ...user, mfaEnabled: false }),
    }),
  );

  return (
    <section aria-labelledby="mfa-heading">
      <h2 id="mfa-heading">Two-factor authentication</h2>
      {user?.mfaEnabled ? (
        <>
          <p>Two-factor authentication is on. Enter a current code to turn it off.</p>
          <CodeForm
            label="Current code"
            action="Turn off two-factor"
            pending={disable.isPending}
            error={disable.error}
            onCode={(code) => disable.mutate({ code })}
          />
        </>
      ) : enrolment ? (
        <>
          <p>
            Scan this QR code with your authenticator app, or add the account with the key below (or open the link on
            your phone), then enter the 6-digit code it shows.
          </p>
          <Suspense fallback={<p className="loading">Loading QR code…</p>}>
            <QrCode text={enrolment.otpauthUrl} label="QR code for your authenticator app" />
          </Suspense>
          <dl className="secret">
            <dt>Setup key</dt>
            <dd>
              <code>{enrolment.secret}</code>
            </dd>
            <dt>Setup link</dt>
            <dd>
              <a href={enrolment.otpauthUrl}>
                <code>{enrolment.otpauthUrl}</code>
              </a>
            </dd>
          </dl>
          <CodeForm
            label="Code from your app"
            action="Turn on two-factor"
            pending={verify.isPending}
            error={verify.error}
            onCode={(code) => verify.mutate({ code })}
          />
        </>
      ) : (
        <>
          <p>Protect your account with a code from an authenticator app in addition to your password.</p>
          <button type="button" className="button primary" disabled={enroll.isPending} onClick={() => enroll.mutate()}>
            Set up two-factor authentication
          </button>
          <FormError message={enroll.error ? describeError(enroll.error) : null} />
        </>
      )}
    </section>
  );
}

function SignOutEverywhere() {
  const trpc = useTRPC();
  const auth = useAuth();
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => auth.signedOut() }));
  return (
    <section aria-labelledby="signout-heading">
      <h2 id="signout-heading">Sign out everywhere</h2>
      <p className="muted">Ends every session of your account, on all devices.</p>
      <button
        type="button"
        className="button danger"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate({ everywhere: true })}
      >
        Sign out everywhere
      </button>
      <FormError message={signOut.error ? describeError(signOut.error) : null} />
    </section>
  );
}

export function SettingsPage() {
  const headingRef = usePageTitle("Settings");
  return (
    <>
      <h1 ref={headingRef} tabIndex={-1}>
        Settings
      </h1>
      <Sessions />
      <ChangePassword />
      <Mfa />
      <SignOutEverywhere />
    </>
  );
}
