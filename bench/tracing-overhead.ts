// Throughput cost of tracing on tasks.list: the same API twice, one with the
// OpenTelemetry SDK disabled (A) and one tracing 100 % of requests and
// exporting them over OTLP (B), loaded in interleaved rounds in one run.
// Usage: npm run bench:tracing [-- --rounds 3 --seconds 6 --connections 10 --concurrent]
// --concurrent loads A and B at the same time on the same core instead of one after the other.
// --env NAME=VALUE (repeatable) changes both sides, e.g. --env NODE_OPTIONS=--max-semi-space-size=32.
// --traced-env NAME=VALUE (repeatable) changes the traced side, e.g. to measure a sampling ratio:
//   --traced-env OTEL_TRACES_SAMPLER=parentbased_traceidratio --traced-env OTEL_TRACES_SAMPLER_ARG=0.1
// BENCH_OTLP_PROTOCOL=http/protobuf measures the protobuf exporter instead of the default JSON one;
// BENCH_NODE=/path/to/node runs the API servers on another Node.js (the image uses the current LTS).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import postgres from "postgres";
import {
  behindProxy,
  buildApi,
  loadRound,
  median,
  otlpSink,
  pinLoadGenerator,
  scratchDatabase,
  serverNodeVersion,
  signUp,
  startApi,
} from "./lib";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "6" },
    connections: { type: "string", default: "10" },
    concurrent: { type: "boolean", default: false },
    // Extra variables for the traced side only, e.g. --traced-env OTEL_TRACES_SAMPLER=parentbased_traceidratio.
    "traced-env": { type: "string", multiple: true, default: [] },
    // Extra variables for both sides, e.g. --env NODE_OPTIONS=--max-semi-space-size=32.
    env: { type: "string", multiple: true, default: [] },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const concurrent = values.concurrent;
const envPairs = (pairs: string[] | undefined, flag: string) =>
  Object.fromEntries(
    (pairs ?? []).map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 1) throw new Error(`${flag} takes NAME=VALUE, got "${pair}"`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
const tracedEnv = envPairs(values["traced-env"], "--traced-env");
const bothEnv = envPairs(values.env, "--env");
const traced = Object.keys(tracedEnv).length
  ? `traced (${Object.entries(tracedEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")})`
  : "tracing 100 %";

buildApi();
const pinning = pinLoadGenerator();
const db = await scratchDatabase();
const sink = await otlpSink();
// Two replicas of one deployment: the same secrets, so one token works on both.
const shared = {
  JWT_SECRET: randomBytes(32).toString("base64url"),
  ENCRYPTION_KEYS: `b1:${randomBytes(32).toString("base64")}`,
};
const off = await startApi(db.appUrl, { ...shared, ...bothEnv, OTEL_SDK_DISABLED: "true" });
const on = await startApi(db.appUrl, {
  ...shared,
  ...bothEnv,
  OTEL_SDK_DISABLED: "false",
  OTEL_TRACES_SAMPLER: "always_on",
  OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
  OTEL_METRICS_EXPORTER: "none",
  ...(process.env.BENCH_OTLP_PROTOCOL ? { OTEL_EXPORTER_OTLP_PROTOCOL: process.env.BENCH_OTLP_PROTOCOL } : {}),
  ...tracedEnv,
});
try {
  const token = await signUp(off, "bench@example.com");
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(`${off.url}/trpc/projects.create`, {
    method: "POST",
    headers: { ...auth, ...behindProxy, "content-type": "application/json" },
    body: JSON.stringify({ name: "Bench" }),
  });
  const projectId = ((await created.json()) as { result: { data: { id: string } } }).result.data.id;
  const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  await admin`insert into tasks (project_id, creator_id, title, position)
    select ${projectId}, owner_id, 'Task ' || g, g from projects, generate_series(1, 1000) g where id = ${projectId}`;
  await admin`analyze tasks`;
  await admin.end();

  const input = encodeURIComponent(JSON.stringify({ projectId, limit: 50 }));
  const path = `/trpc/tasks.list?input=${input}`;
  // Warm both (JIT, every pooled connection's prepared statements and generic plans) before
  // measuring: with 2 s the first measured round still ran ~15 % slow for both.
  for (let i = 0; i < 2; i++) {
    await loadRound(off.url + path, auth, 3, connections);
    await loadRound(on.url + path, auth, 3, connections);
  }
  const a: number[] = [];
  const b: number[] = [];
  const cpuA: number[] = [];
  const cpuB: number[] = [];
  const cpu = (us: number | null) => (us === null ? "" : `, ${us.toFixed(0)} µs CPU/req`);
  for (let i = 0; i < rounds; i++) {
    const load = (api: typeof off) => loadRound(api.url + path, auth, seconds, connections, api);
    let ra: Awaited<ReturnType<typeof load>>;
    let rb: typeof ra;
    if (concurrent) {
      // Both at once on the same core: whatever else the machine does that second, both see it.
      [ra, rb] = await Promise.all([load(off), load(on)]);
    } else if (i % 2 === 0) {
      // Alternate which goes first, so neither always runs right after the other's load.
      ra = await load(off);
      rb = await load(on);
    } else {
      rb = await load(on);
      ra = await load(off);
    }
    if (ra.errors || rb.errors) throw new Error(`non-2xx responses: A ${ra.errors}, B ${rb.errors}`);
    a.push(ra.rps);
    b.push(rb.rps);
    if (ra.cpuMicrosPerRequest !== null && rb.cpuMicrosPerRequest !== null) {
      cpuA.push(ra.cpuMicrosPerRequest);
      cpuB.push(rb.cpuMicrosPerRequest);
    }
    console.log(
      `round ${i + 1}: SDK disabled ${ra.rps.toFixed(0)} req/s (p99 ${ra.p99} ms${cpu(ra.cpuMicrosPerRequest)}) | ${traced} ${rb.rps.toFixed(0)} req/s (p99 ${rb.p99} ms${cpu(rb.cpuMicrosPerRequest)})`,
    );
  }
  const ratio = median(b) / median(a);
  const pairwise = a.map((x, i) => (b[i] ?? 0) / x);
  console.log(
    `\ntasks.list, ${rounds} ${concurrent ? "concurrent" : "interleaved"} rounds of ${seconds}s, ${connections} connections each; ${pinning}; API on Node ${serverNodeVersion()} (production bundle)${
      Object.keys(bothEnv).length
        ? `; both sides: ${Object.entries(bothEnv)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")}`
        : ""
    }`,
  );
  console.log(`median req/s: SDK disabled ${median(a).toFixed(0)}, ${traced} ${median(b).toFixed(0)}`);
  console.log(
    `throughput with tracing / without: ${ratio.toFixed(3)} (cost ${((1 - ratio) * 100).toFixed(1)} %); per round ${pairwise.map((r) => r.toFixed(2)).join(" ")}, median ${median(pairwise).toFixed(3)}`,
  );
  if (cpuA.length) {
    const cpuRatio = median(cpuB) / median(cpuA);
    console.log(
      `API CPU per request: SDK disabled ${median(cpuA).toFixed(0)} µs, ${traced} ${median(cpuB).toFixed(0)} µs (+${((cpuRatio - 1) * 100).toFixed(1)} %)`,
    );
  }
  console.log(`OTLP export requests received by the sink: ${sink.received}`);
  // Memory after sustained load, as the API itself reports it (for the capacity plan).
  for (const [name, api] of [
    ["SDK disabled", off],
    [traced, on],
  ] as const) {
    const health = (await (await fetch(`${api.url}/api/health`, { headers: behindProxy })).json()) as {
      services: { memory: { rssBytes: number; heapUsedBytes: number } };
    };
    const { rssBytes, heapUsedBytes } = health.services.memory;
    console.log(
      `${name}: RSS ${(rssBytes / 2 ** 20).toFixed(0)} MiB, heap used ${(heapUsedBytes / 2 ** 20).toFixed(0)} MiB`,
    );
  }
} finally {
  await off.stop();
  await on.stop();
  await sink.close();
  await db.cleanup();
}
