import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "@taskmaster/db/testing";
import { testServerEnv } from "../../src/testing";

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr, in order. */
  output: string[];
  exited: Promise<number | null>;
}

/**
 * `src/server.ts` as its own process (for signals, or for telemetry loaded
 * with --import), on a free port, resolved once readiness answers 200.
 */
export async function startServerProcess(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  /** Preload @taskmaster/telemetry/register, as production does. */
  telemetry?: boolean;
}): Promise<ServerProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const preload = options.telemetry ? ["--import", "@taskmaster/telemetry/register"] : [];
  const child = spawn(
    process.execPath,
    ["--import", "tsx", ...preload, path.join(import.meta.dirname, "../../src/server.ts")],
    {
      cwd: path.join(import.meta.dirname, "../.."),
      env: {
        ...process.env,
        // The process inherits REDIS_URL in CI: the prefix keeps its counters apart from other runs'.
        ...testServerEnv(options.databaseUrl),
        PORT: String(port),
        HOST: "127.0.0.1",
        OTEL_SDK_DISABLED: "true",
        LOG_LEVEL: "info",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const output: string[] = [];
  child.stdout?.on("data", (d: Buffer) => output.push(d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => output.push(d.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output.join("")}`);
    if (
      await fetch(`${base}/api/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, child, output, exited };
}

/** The JSON log lines the process has written so far. */
export function jsonLogLines(server: ServerProcess): Record<string, unknown>[] {
  return server.output
    .join("")
    .split("\n")
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as unknown;
        return parsed && typeof parsed === "object" ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}

/** Signs up over plain HTTP, as a third-party client would, and returns the bearer token. */
export async function signUpForToken(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/trpc/auth.signUp`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-taskmaster-client": "web", origin: base },
    body: JSON.stringify({ email, password: "Correct-Horse-9-battery", displayName: "Test" }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: { data: { accessToken: string } } }).result.data.accessToken;
}
