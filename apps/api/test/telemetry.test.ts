import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { jsonLogLines, type ServerProcess, startServerProcess } from "./support/server-process";

interface OtlpAttr {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttr[];
  status?: { code?: number };
}

let db: TestDatabase;
let receiver: Server;
let server: ServerProcess;
let base: string;
const spans: OtlpSpan[] = [];
const metricPosts: unknown[] = [];

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.intValue ?? v?.boolValue;
};

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      if (req.url === "/v1/traces") {
        for (const rs of body.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
      } else if (req.url === "/v1/metrics") metricPosts.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  server = await startServerProcess({
    databaseUrl: db.appUrl,
    telemetry: true,
    env: {
      OTEL_SDK_DISABLED: "false",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "100",
      OTEL_METRIC_EXPORT_INTERVAL: "500",
    },
  });
  base = server.base;
}, 60_000);

afterAll(async () => {
  server?.child.kill("SIGTERM");
  await new Promise((r) => receiver?.close(r));
  await db?.drop();
});

async function trpc(pathName: string, input: unknown, token?: string, method = "POST") {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-taskmaster-client": "web",
    origin: base,
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const url =
    method === "GET"
      ? `${base}/trpc/${pathName}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `${base}/trpc/${pathName}`;
  const res = await fetch(url, { method, headers, ...(method === "POST" ? { body: JSON.stringify(input) } : {}) });
  return { status: res.status, body: (await res.json()) as { result?: { data: Record<string, string> } } };
}

async function until<T>(fn: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("telemetry through a real server", () => {
  let token = "";
  let projectId = "";

  test("one tRPC call produces HTTP → Express → trpc.tasks.list → db.transaction → SQL spans, correctly parented", async () => {
    const signUp = await trpc("auth.signUp", {
      email: "otel@example.com",
      password: "Correct-Horse-9-battery",
      displayName: "O",
    });
    token = signUp.body.result?.data.accessToken ?? "";
    projectId = (await trpc("projects.create", { name: "Traced" }, token)).body.result?.data.id ?? "";
    const list = await trpc("tasks.list", { projectId }, token, "GET");
    expect(list.status).toBe(200);

    const procedure = await until(() => spans.find((s) => s.name === "trpc.tasks.list"));
    const byId = new Map<string, OtlpSpan>();
    const trace = () => spans.filter((s) => s.traceId === procedure.traceId);
    await until(() => trace().some((s) => s.kind === 2) && trace().some((s) => s.name === "db.transaction"));
    for (const s of trace()) byId.set(s.spanId, s);

    const ancestors: string[] = [];
    for (let p = byId.get(procedure.parentSpanId ?? ""); p; p = byId.get(p.parentSpanId ?? "")) ancestors.push(p.name);
    const root = byId.get(procedure.parentSpanId ?? "") && [...byId.values()].find((s) => !s.parentSpanId);
    expect(root?.kind).toBe(2); // SERVER: the HTTP span
    expect(ancestors.at(-1)).toBe(root?.name);
    // A query's tRPC input travels in the URL; the span keeps that there was one, not what it said.
    expect(attr(root as OtlpSpan, "url.path")).toBe("/trpc/tasks.list");
    expect(attr(root as OtlpSpan, "url.query")).toBe("input=REDACTED");
    expect(ancestors.some((n) => /middleware|router|request handler/i.test(n))).toBe(true); // Express spans
    expect(attr(procedure, "rpc.system")).toBe("trpc");
    expect(String(attr(procedure, "taskmaster.user") ?? "")).not.toContain("@");

    const tx = trace().find((s) => s.name === "db.transaction" && s.parentSpanId === procedure.spanId);
    expect(tx).toBeTruthy();
    const queries = trace().filter((s) => s.parentSpanId === tx?.spanId);
    const select = queries.find((s) => s.name === "select tasks");
    expect(select).toBeTruthy();
    expect(attr(select as OtlpSpan, "db.system.name")).toBe("postgresql");
    expect(String(attr(select as OtlpSpan, "db.query.text"))).not.toContain(projectId);
  });

  test("a failing procedure marks its span as an error with the tRPC code", async () => {
    const res = await trpc("tasks.get", { id: randomUUID() }, token, "GET");
    expect(res.status).toBe(404);
    const failed = await until(() => spans.find((s) => s.name === "trpc.tasks.get"));
    expect(failed.status?.code).toBe(2);
    expect(attr(failed, "trpc.error_code")).toBe("NOT_FOUND");
  });

  test("/metrics is Prometheus text whose request counter moves for the route", async () => {
    const count = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/^# (HELP|TYPE) /m);
      const line = text
        .split("\n")
        .find(
          (l) =>
            l.startsWith("http_server_request_duration_count") &&
            l.includes('http_route="/trpc"') &&
            l.includes('http_request_method="GET"'),
        );
      return Number(line?.split(" ").at(-1) ?? 0);
    };
    const before = await count();
    await trpc("projects.list", {}, token, "GET");
    await trpc("projects.list", {}, token, "GET");
    expect(await count()).toBe(before + 2);
  });

  test("OTLP metrics reach the collector", async () => {
    // Exports run every 500 ms; the procedure histogram shows up in the first one after the calls above.
    const exported = await until(() => metricPosts.find((p) => JSON.stringify(p).includes("taskmaster.trpc.duration")));
    expect(JSON.stringify(exported)).toContain("http.server.request.duration");
  });

  test("a mutation, whose body arrives after the request event, is traced under its HTTP span too", async () => {
    const creates = () => spans.filter((s) => s.name === "trpc.projects.create");
    const before = creates().length;
    const res = await trpc("projects.create", { name: "Posted" }, token);
    expect(res.status).toBe(200);
    const procedure = await until(() => creates()[before]);
    const trace = () => spans.filter((s) => s.traceId === procedure.traceId);
    const root = await until(() => trace().find((s) => s.kind === 2));
    expect(attr(root, "http.request.method")).toBe("POST");
    const tx = await until(() =>
      trace().find((s) => s.name === "db.transaction" && s.parentSpanId === procedure.spanId),
    );
    expect(trace().some((s) => s.name === "insert projects" && s.parentSpanId === tx.spanId)).toBe(true);
  });

  test("every log line of a traced request carries that trace id and the request id", async () => {
    const procedure = await until(() => spans.find((s) => s.name === "trpc.tasks.list"));
    // The access line is written from the response's 'finish' listener, outside the handler's async chain.
    const line = await until(() =>
      jsonLogLines(server).find((l) => l.message === "request" && l.trace_id === procedure.traceId),
    );
    expect(line.route).toBe("/trpc");
    expect(line.request_id).toMatch(/^[\w-]{8,64}$/);
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(server.output.join("")).not.toContain("Correct-Horse-9-battery");
  });
});
