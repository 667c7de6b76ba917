import { useMutation } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense } from "react";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import { useAuth } from "./lib/auth";
import { describeError } from "./lib/errors";
import { ROUTES } from "./lib/routes";
import { useTRPC } from "./lib/trpc";
import { DashboardPage } from "./pages/dashboard/DashboardPage";

// The dashboard ships in the entry chunk (it is where a signed-in visit
// starts); every other screen is its own chunk, fetched on first use. The
// sign-in and sign-up forms are chunks too: they carry zod (the shared
// schemas), which a returning user's dashboard never needs.
const SignInPage = lazy(() => import("./pages/auth/SignInPage").then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => import("./pages/auth/SignUpPage").then((m) => ({ default: m.SignUpPage })));
const ProjectsPage = lazy(() => import("./pages/projects/ProjectsPage").then((m) => ({ default: m.ProjectsPage })));
const ProjectPage = lazy(() => import("./pages/project/ProjectPage").then((m) => ({ default: m.ProjectPage })));
const NotesPage = lazy(() => import("./pages/notes/NotesPage").then((m) => ({ default: m.NotesPage })));
const NotePage = lazy(() => import("./pages/notes/NotePage").then((m) => ({ default: m.NotePage })));
const FocusPage = lazy(() => import("./pages/focus/FocusPage").then((m) => ({ default: m.FocusPage })));
// The month grid is the spec's other heavy view: a chunk of its own, like the dashboard chart.
const CalendarPage = lazy(() => import("./pages/calendar/CalendarPage").then((m) => ({ default: m.CalendarPage })));
const SettingsPage = lazy(() => import("./pages/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })));

const NAV = [
  { href: ROUTES.dashboard, label: "Dashboard" },
  { href: ROUTES.projects, label: "Projects" },
  { href: ROUTES.calendar, label: "Calendar" },
  { href: ROUTES.notes, label: "Notes" },
  { href: ROUTES.focus, label: "Focus" },
  { href: ROUTES.settings, label: "Settings" },
];

function isCurrent(href: string, location: string) {
  return href === "/" ? location === "/" : location === href || location.startsWith(`${href}/`);
}

function Shell({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const auth = useAuth();
  const [location] = useLocation();
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSettled: () => auth.signedOut() }));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">TaskMaster Pro</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={isCurrent(item.href, location) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-user">
          {auth.user && <span className="user-name">{auth.user.displayName}</span>}
          <button
            type="button"
            className="button ghost"
            onClick={() => signOut.mutate({})}
            disabled={signOut.isPending}
          >
            Sign out
          </button>
        </div>
      </header>
      {signOut.error && (
        <p className="form-error" role="alert">
          {describeError(signOut.error)}
        </p>
      )}
      <main id="main" className="page">
        <Suspense fallback={<p className="loading">Loading…</p>}>{children}</Suspense>
      </main>
    </>
  );
}

function SignedInRoutes() {
  return (
    <Shell>
      <Switch>
        <Route path={ROUTES.dashboard} component={DashboardPage} />
        <Route path={ROUTES.projects} component={ProjectsPage} />
        <Route path={ROUTES.project}>{(p) => <ProjectPage key={p.projectId} projectId={p.projectId} />}</Route>
        <Route path={ROUTES.notes} component={NotesPage} />
        <Route path={ROUTES.note}>{(p) => <NotePage key={p.noteId} noteId={p.noteId} />}</Route>
        <Route path={ROUTES.focus} component={FocusPage} />
        <Route path={ROUTES.calendar}>{() => <CalendarPage />}</Route>
        <Route path={ROUTES.settings} component={SettingsPage} />
        <Route path={ROUTES.signIn}>
          <Redirect to={ROUTES.dashboard} replace />
        </Route>
        <Route path={ROUTES.signUp}>
          <Redirect to={ROUTES.dashboard} replace />
        </Route>
        <Route>
          <h1>Page not found</h1>
          <p>
            <Link href={ROUTES.dashboard}>Go to the dashboard</Link>
          </p>
        </Route>
      </Switch>
    </Shell>
  );
}

function Loading() {
  return (
    <main id="main" className="page">
      <p className="loading">Loading…</p>
    </main>
  );
}

function SignedOutRoutes() {
  const [location] = useLocation();
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path={ROUTES.signIn} component={SignInPage} />
        <Route path={ROUTES.signUp} component={SignUpPage} />
        <Route>
          <Redirect
            to={location === "/" ? ROUTES.signIn : `${ROUTES.signIn}?next=${encodeURIComponent(location)}`}
            replace
          />
        </Route>
      </Switch>
    </Suspense>
  );
}

export function App() {
  const { session } = useAuth();
  return session.status === "signedOut" ? <SignedOutRoutes /> : <SignedInRoutes />;
}
