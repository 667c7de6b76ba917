import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { readApiError, SESSION_ENDED_MESSAGE } from "./errors";
import { type User, useTRPCClient } from "./trpc";

/** Remembers across reloads that this browser had a session, to tell "your session ended" from "never signed in". */
const HAD_SESSION_KEY = "taskmaster.hadSession";

export type SessionState =
  /** A session is believed to exist (it did on the last visit): screens render while `auth.me` confirms it. */
  { status: "restoring" } | { status: "signedIn"; user: User } | { status: "signedOut"; notice: string | null };

interface AuthContextValue {
  session: SessionState;
  user: User | null;
  signedIn: (user: User) => void;
  signedOut: () => void;
  updateUser: (user: User) => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

function readFlag(): boolean {
  try {
    return localStorage.getItem(HAD_SESSION_KEY) === "1";
  } catch {
    return false;
  }
}
function writeFlag(on: boolean) {
  try {
    if (on) localStorage.setItem(HAD_SESSION_KEY, "1");
    else localStorage.removeItem(HAD_SESSION_KEY);
  } catch {
    // Storage disabled: only the "session ended" notice after a reload is lost.
  }
}

/** Lets the tRPC link, created outside React, tell the provider that the session is gone. */
export function createSessionEvents() {
  const listeners = new Set<() => void>();
  return {
    emitEnded: () => {
      for (const l of listeners) l();
    },
    onEnded: (listener: () => void) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
export type SessionEvents = ReturnType<typeof createSessionEvents>;

export function AuthProvider({ events, children }: { events: SessionEvents; children: ReactNode }) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  // Without a session on the last visit there is nothing to restore: go straight
  // to sign-in rather than asking the server and getting a 401 for it.
  const [session, setSession] = useState<SessionState>(() =>
    readFlag() ? { status: "restoring" } : { status: "signedOut", notice: null },
  );
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const end = useCallback((notice: string | null) => {
    writeFlag(false);
    setSession({ status: "signedOut", notice });
  }, []);

  useEffect(() => {
    if (sessionRef.current.status !== "restoring") return;
    let cancelled = false;
    client.auth.me
      .query()
      .then((user) => {
        if (cancelled) return;
        writeFlag(true);
        setSession({ status: "signedIn", user });
      })
      .catch((err) => {
        // A network failure is not a verdict on the session: the screens show
        // their own errors and retry. Only UNAUTHORIZED (after the link's
        // refresh attempt) means the session is gone.
        if (cancelled || sessionRef.current.status === "signedOut") return;
        if (readApiError(err).code === "UNAUTHORIZED") end(SESSION_ENDED_MESSAGE);
      });
    return () => {
      cancelled = true;
    };
  }, [client, end]);

  useEffect(
    () =>
      events.onEnded(() => {
        const status = sessionRef.current.status;
        if (status === "signedIn" || status === "restoring") end(SESSION_ENDED_MESSAGE);
      }),
    [events, end],
  );

  // Another user may sign in next in this tab: nothing of this one's data may stay cached.
  useEffect(() => {
    if (session.status === "signedOut") queryClient.clear();
  }, [session.status, queryClient]);

  const value = useMemo<AuthContextValue>(
    () => ({
      session,
      user: session.status === "signedIn" ? session.user : null,
      signedIn: (user) => {
        writeFlag(true);
        setSession({ status: "signedIn", user });
      },
      signedOut: () => end(null),
      updateUser: (user) => setSession({ status: "signedIn", user }),
    }),
    [session, end],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth must be used inside <AuthProvider>");
  return ctx;
}
