import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../src/router";

/** A @trpc/client that behaves like one browser: its own cookie jar, same-origin headers. */
export function browserClient(baseUrl: string, options: { batch?: boolean } = {}) {
  const jar = new Map<string, string>();
  const cookieFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("x-taskmaster-client", "web");
    headers.set("origin", baseUrl);
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === "";
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const client = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/trpc`, fetch: cookieFetch, maxItems: options.batch === false ? 1 : 10 })],
  });
  return { client, jar };
}

export type ApiClient = ReturnType<typeof browserClient>["client"];

/** The tRPC error code of a rejected call (fails the test if the call succeeded). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TRPCClientError) return String(err.data?.code ?? err.message);
    throw err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export async function errorOf(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TRPCClientError) return err as TRPCClientError<AppRouter>;
    throw err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export const strongPassword = "Correct-Horse-9-battery";
