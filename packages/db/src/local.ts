import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";
import { deriveLoginPassword, setLoginPassword } from "./roles";
import { API_LOGIN_ROLE, redactUrl, withCredentials, withDatabase } from "./urls";

export interface LocalDatabase {
  /** Owner URL: migrations and seeds. */
  adminUrl: string;
  /** The API's login role on the same database. */
  appUrl: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

export interface LocalDatabaseOptions {
  /** An existing server; when absent an embedded PostgreSQL is started. */
  databaseUrl?: string | undefined;
  /** Password for the login role on an existing server (default: derived, or none under trust auth). */
  appPassword?: string | undefined;
  /** Repository root: the embedded cluster lives in `<root>/.data/postgres`. */
  rootDir: string;
  embeddedPort: number;
  databaseName?: string;
  log?: (line: string) => void;
}

/**
 * The database for `npm run dev` and the CLI scripts: the configured server, or
 * an embedded PostgreSQL whose data survives restarts. Migrated either way.
 */
export async function openLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const { rootDir, embeddedPort, databaseName = "taskmaster", log = () => {} } = options;
  let serverUrl = options.databaseUrl;
  let stop = async () => {};
  const embedded = !serverUrl;
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(rootDir, ".data", "postgres"),
      port: embeddedPort,
    });
    stop = server.stop;
    serverUrl = server.adminUrl;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      const exists = await admin`select 1 from pg_database where datname = ${databaseName}`;
      if (exists.length === 0) await admin.unsafe(`create database "${databaseName}"`);
    } finally {
      await admin.end();
    }
    serverUrl = withDatabase(serverUrl, databaseName);
    log(`embedded PostgreSQL on 127.0.0.1:${embeddedPort} (data in .data/postgres)`);
  } else {
    log(`using PostgreSQL at ${redactUrl(serverUrl)}`);
  }
  const appPassword = options.appPassword ?? deriveLoginPassword(serverUrl);
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const applied = await migrate(admin, { log });
    if (applied.length === 0) log("migrations: up to date");
    if (appPassword) await setLoginPassword(admin, appPassword);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    await admin.end();
  }
  return { adminUrl: serverUrl, appUrl: withCredentials(serverUrl, API_LOGIN_ROLE, appPassword), embedded, stop };
}
