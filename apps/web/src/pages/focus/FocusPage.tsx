import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { focusStartInput } from "@taskmaster/security/schemas";
import { lazy, Suspense, useEffect, useState } from "react";
import { Field, FormError } from "../../components/Field";
import { QueryError } from "../../components/QueryError";
import { describeError } from "../../lib/errors";
import { formatDateTime, formatMinutes } from "../../lib/format";
import { userTimeZone } from "../../lib/time-zone";
import { type FocusSession, useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";
import { usePageTitle } from "../../lib/use-page-title";

// Below the timer and the numbers: the chart (shared with the dashboard) loads after them.
const FocusChart = lazy(() => import("./FocusChart").then((m) => ({ default: m.FocusChart })));

/** Milliseconds left in a running session; negative once it overran. Derived from the server's start time, so a reload or a sleeping laptop doesn't drift. */
export function remainingMs(session: Pick<FocusSession, "startedAt" | "plannedMinutes">, now: number): number {
  return Date.parse(session.startedAt) + session.plannedMinutes * 60_000 - now;
}

/** 1500000 → "25:00"; past the end it counts up as "+01:05". */
export function formatCountdown(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const mm = String(Math.floor(total / 60)).padStart(2, "0");
  const ss = String(total % 60).padStart(2, "0");
  return `${ms < 0 ? "+" : ""}${mm}:${ss}`;
}

function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function RunningSession({ session }: { session: FocusSession }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow(true);
  const left = remainingMs(session, now);
  const stop = useMutation(
    trpc.focus.stop.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.focus.pathFilter());
        void queryClient.invalidateQueries(trpc.dashboard.pathFilter());
      },
    }),
  );
  // Announce the whole minute only: a live region updated every second would talk non-stop.
  const minutesLeft = Math.max(0, Math.ceil(left / 60_000));
  return (
    <section className="timer" aria-labelledby="timer-heading">
      <h2 id="timer-heading">Focus session running</h2>
      <p className="countdown" aria-hidden="true">
        {formatCountdown(left)}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {left > 0 ? `${minutesLeft} ${minutesLeft === 1 ? "minute" : "minutes"} remaining` : "Planned time is over"}
      </p>
      <p className="muted">
        {left > 0 ? "remaining" : "over the planned time"} of {session.plannedMinutes} min
      </p>
      <div className="row-actions">
        <button
          type="button"
          className="button primary"
          disabled={stop.isPending}
          onClick={() => stop.mutate({ id: session.id, completed: true })}
        >
          Complete session
        </button>
        <button
          type="button"
          className="button"
          disabled={stop.isPending}
          onClick={() => stop.mutate({ id: session.id, completed: false })}
        >
          Cancel session
        </button>
      </div>
      <FormError message={stop.error ? describeError(stop.error) : null} />
    </section>
  );
}

const toInput = (v: { plannedMinutes: string }) => ({ plannedMinutes: Number(v.plannedMinutes) });

function StartForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm({ schema: focusStartInput, initial: { plannedMinutes: "25" }, toInput });
  const start = useMutation(
    trpc.focus.start.mutationOptions({
      onSuccess: (session) => {
        queryClient.setQueryData(trpc.focus.current.queryKey(), session);
        void queryClient.invalidateQueries(trpc.focus.list.pathFilter());
      },
      onError: (err) => {
        form.showServerError(err);
        // CONFLICT: a session started elsewhere (another tab): show it.
        void queryClient.invalidateQueries(trpc.focus.current.pathFilter());
      },
    }),
  );
  return (
    <form ref={form.formRef} noValidate className="inline-form" onSubmit={form.handleSubmit((d) => start.mutate(d))}>
      <Field label="Minutes" name="plannedMinutes" errors={form.errorsFor("plannedMinutes")}>
        {(p) => <input {...p} type="number" min={1} max={240} {...form.bind("plannedMinutes")} />}
      </Field>
      <button type="submit" className="button primary" disabled={start.isPending}>
        Start focus session
      </button>
      <FormError message={form.formError} />
    </form>
  );
}

const STATE_LABELS: Record<FocusSession["state"], string> = {
  running: "Running",
  completed: "Completed",
  cancelled: "Cancelled",
};

export function FocusPage() {
  const trpc = useTRPC();
  const headingRef = usePageTitle("Focus");
  const current = useQuery(trpc.focus.current.queryOptions());
  // Minutes per day, with days starting at the user's midnight.
  const stats = useQuery(trpc.focus.stats.queryOptions({ days: 7, timeZone: userTimeZone() }));
  const history = useInfiniteQuery(
    trpc.focus.list.infiniteQueryOptions({}, { initialCursor: null, getNextPageParam: (last) => last.nextCursor }),
  );
  const sessions = history.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <h1 ref={headingRef} tabIndex={-1}>
        Focus timer
      </h1>
      {current.isError && <QueryError error={current.error} retry={() => void current.refetch()} />}
      {current.isPending && <p className="loading">Loading…</p>}
      {current.data && <RunningSession session={current.data} />}
      {current.data === null && <StartForm />}

      <section aria-labelledby="focus-stats-heading">
        <h2 id="focus-stats-heading">Your focus</h2>
        {stats.isError && <QueryError error={stats.error} />}
        <dl className="stats">
          <div className="stat">
            <dt>Today</dt>
            <dd>{stats.data ? formatMinutes(stats.data.todayMinutes) : "–"}</dd>
          </div>
          <div className="stat">
            <dt>This week</dt>
            <dd>{stats.data ? formatMinutes(stats.data.weekMinutes) : "–"}</dd>
          </div>
          <div className="stat">
            <dt>Completed sessions</dt>
            <dd>{stats.data?.completedSessions ?? "–"}</dd>
          </div>
        </dl>
        <h3 id="focus-chart-heading">Minutes per day (last 7 days)</h3>
        <div className="chart-frame">
          {stats.data && (
            <Suspense fallback={<p className="loading">Loading chart…</p>}>
              <FocusChart perDay={stats.data.perDay} />
            </Suspense>
          )}
        </div>
      </section>

      <section aria-labelledby="focus-history-heading">
        <h2 id="focus-history-heading">Recent sessions</h2>
        {history.isError && <QueryError error={history.error} />}
        {history.isSuccess && sessions.length === 0 && <p>No sessions yet.</p>}
        {sessions.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Planned</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>{formatDateTime(s.startedAt)}</td>
                  <td>{s.plannedMinutes} min</td>
                  <td>{STATE_LABELS[s.state]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {history.hasNextPage && (
          <button type="button" className="button" onClick={() => void history.fetchNextPage()}>
            Load more sessions
          </button>
        )}
      </section>
    </>
  );
}
