/** The database role the API logs in as: LOGIN, NOINHERIT, no superuser, no BYPASSRLS, owns nothing. */
export const API_LOGIN_ROLE = "app_api";

/** Same server and database as `adminUrl`, logged in as another role. */
export function withCredentials(adminUrl: string, user: string, password?: string): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(user);
  url.password = password ? encodeURIComponent(password) : "";
  return url.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** For messages and logs: the URL without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid database URL>";
  }
}
