/**
 * Every screen's path pattern, in one place: the router renders them and the
 * Web Vitals reporter labels metrics with the pattern (never with ids, which
 * would explode metric cardinality and leak identifiers).
 */
export const ROUTES = {
  signIn: "/sign-in",
  signUp: "/sign-up",
  dashboard: "/",
  projects: "/projects",
  project: "/projects/:projectId",
  notes: "/notes",
  note: "/notes/:noteId",
  focus: "/focus",
  calendar: "/calendar",
  settings: "/settings",
} as const;

const PATTERNS = Object.values(ROUTES);

function matches(pattern: string, path: string): boolean {
  const a = pattern.split("/");
  const b = path.split("/");
  if (a.length !== b.length) return false;
  return a.every((segment, i) => segment.startsWith(":") || segment === b[i]);
}

/** The pattern a concrete path belongs to, e.g. `/projects/7f…` → `/projects/:projectId`. */
export function routePattern(pathname: string): string {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return PATTERNS.find((p) => matches(p, path)) ?? "(unknown)";
}

export const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`;
export const notePath = (id: string) => `/notes/${encodeURIComponent(id)}`;

/** The note id in the URL of the "new note" editor. */
export const NEW_NOTE_ID = "new";
