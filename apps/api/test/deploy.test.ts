import { readFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { envSchema } from "../src/env";
import { startTestServer, type TestServer } from "../src/testing";

const root = path.resolve(import.meta.dirname, "../../..");
interface Probe {
  httpGet: { path: string };
}
interface Container {
  envFrom: { configMapRef: { name: string } }[];
  env: { name: string }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  securityContext: {
    readOnlyRootFilesystem: boolean;
    allowPrivilegeEscalation: boolean;
    capabilities: { drop: string[] };
  };
  resources: { limits: Record<string, string> };
}
// The fields this test reads, across the kinds in the file (each document has only its own).
interface Doc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec: {
    template: {
      spec: {
        containers: Container[];
        securityContext: { runAsNonRoot: boolean };
        terminationGracePeriodSeconds: number;
      };
    };
    selector: { matchLabels: Record<string, string> };
    scaleTargetRef: { name: string };
    minReplicas: number;
    minAvailable: number;
  };
}
const manifests = parseAllDocuments(readFileSync(path.join(root, "deploy/k8s/api.yaml"), "utf8")).map(
  (d) => d.toJSON() as Doc,
);
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const deployment = byKind("Deployment")[0] as Doc;
const pod = deployment.spec.template.spec;
const api = pod.containers[0] as Container;
const known = new Set(Object.keys(envSchema.shape));

let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.appUrl });
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe("Kubernetes manifests", () => {
  test("every variable the Deployment sets is one the API reads", () => {
    const configMap = byKind("ConfigMap").find((c) => c.metadata.name === api.envFrom[0]?.configMapRef.name) as Doc;
    const names = [...Object.keys(configMap.data ?? {}), ...api.env.map((e) => e.name)];
    for (const name of names.filter((n) => !n.startsWith("OTEL_"))) expect(known, name).toContain(name);
    expect(names).toEqual(expect.arrayContaining(["DATABASE_URL", "JWT_SECRET", "ENCRYPTION_KEYS", "METRICS_TOKEN"]));
  });

  test("probes point at endpoints the real server answers", async () => {
    for (const probe of [api.startupProbe, api.livenessProbe, api.readinessProbe]) {
      const res = await fetch(`${server.url}${probe.httpGet.path}`);
      expect([probe.httpGet.path, res.status]).toEqual([probe.httpGet.path, 200]);
    }
  });

  test("pods run as non-root on a read-only root filesystem with limits", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(api.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(api.securityContext.capabilities.drop).toContain("ALL");
    expect(api.resources.limits).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
  });

  test("the grace period outlasts the API's drain and shutdown timeout", () => {
    const data = (byKind("ConfigMap")[0] as Doc).data ?? {};
    const needed = Number(data.SHUTDOWN_DRAIN_MS) + Number(data.SHUTDOWN_TIMEOUT_MS);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(needed);
  });

  test("the HPA and PDB select the Deployment, and the PDB keeps one replica through disruptions", () => {
    const hpa = byKind("HorizontalPodAutoscaler")[0] as Doc;
    const pdb = byKind("PodDisruptionBudget")[0] as Doc;
    expect(hpa.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
  });
});

test("every variable docker-compose gives the API is one the API reads", () => {
  const compose = parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true });
  const names = Object.keys(compose.services.api.environment).filter((n) => !n.startsWith("OTEL_"));
  for (const name of names) expect(known, name).toContain(name);
});
