import type { TRPCLink } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import { readApiError } from "./errors";

/**
 * Procedures whose UNAUTHORIZED answer means "wrong credentials", not "the
 * access token expired": retrying them after a refresh would be wrong.
 */
const NO_REFRESH_PATHS = new Set(["auth.signIn", "auth.signUp", "auth.refresh", "auth.signOut"]);

export interface SessionRefreshOptions {
  /** Asks the server for a new access token (rotating the refresh token in the httpOnly cookie). */
  refresh: () => Promise<unknown>;
  /** Called when a call is still UNAUTHORIZED after the refresh: the session is over (expired or revoked). */
  onSessionEnded: () => void;
}

/**
 * A tRPC link that makes access-token expiry invisible: a protected call that
 * fails with UNAUTHORIZED triggers one `auth.refresh` (shared by every call
 * that failed at the same moment, because refresh tokens rotate and a second
 * refresh with the old token would look like reuse) and is retried once.
 *
 * The retry happens even when the refresh failed: if another tab rotated the
 * token at the same moment the server answers "raced", and this tab's cookie
 * jar already holds the new tokens. Only a retry that is still UNAUTHORIZED
 * ends the session.
 */
export function sessionRefreshLink<TRouter extends AnyTRPCRouter>(options: SessionRefreshOptions): TRPCLink<TRouter> {
  let inFlight: Promise<void> | null = null;
  const refreshOnce = () => {
    inFlight ??= options
      .refresh()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | undefined;
        let closed = false;
        const attempt = (isRetry: boolean) => {
          subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (err) => {
              const expired = readApiError(err).code === "UNAUTHORIZED" && !NO_REFRESH_PATHS.has(op.path);
              if (!expired) {
                observer.error(err);
              } else if (isRetry) {
                options.onSessionEnded();
                observer.error(err);
              } else {
                void refreshOnce().then(() => {
                  if (!closed) attempt(true);
                });
              }
            },
          });
        };
        attempt(false);
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
}
