// `npm run dev` for the API: a database (DATABASE_URL, or an embedded
// PostgreSQL kept in .data/), migrated and seeded with a demo account, then
// the server under `node --watch` with telemetry preloaded.
// Ctrl-C stops the server and then the embedded database.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_EMAIL, resolveDemoPassword, seedDemo } from "@taskmaster/db";
import { openLocalDatabase } from "@taskmaster/db/local";
import postgres from "postgres";

const rootDir = path.resolve(import.meta.dirname, "../../..");
const log = (line: string) => console.log(`[dev] ${line}`);

/** Development secrets, generated once per checkout and kept (git-ignored) so sessions and notes survive restarts. */
function devSecrets(): { JWT_SECRET: string; ENCRYPTION_KEYS: string } {
  const file = path.join(rootDir, ".data", "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  mkdirSync(path.dirname(file), { recursive: true });
  const secrets = {
    JWT_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString("base64")}`,
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

let db: Awaited<ReturnType<typeof openLocalDatabase>>;
try {
  db = await openLocalDatabase({
    databaseUrl: process.env.DATABASE_URL,
    appPassword: process.env.DB_APP_PASSWORD,
    rootDir,
    embeddedPort: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    log,
  });
} catch (err) {
  console.error(`[dev] could not prepare the database: ${(err as Error).message}`);
  process.exit(1);
}

const demoPassword = resolveDemoPassword(process.env);
const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
try {
  const seeded = await seedDemo(admin, { password: demoPassword });
  log(
    seeded.created
      ? `seeded the demo account (${seeded.projects} projects, ${seeded.tasks} tasks)`
      : "demo account present",
  );
} finally {
  await admin.end();
}

const port = process.env.PORT ?? "3000";
const secrets = devSecrets();
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--import",
    "@taskmaster/telemetry/register",
    "--watch",
    "--watch-preserve-output",
    "src/server.ts",
  ],
  {
    cwd: path.resolve(import.meta.dirname, ".."),
    stdio: "inherit",
    env: {
      ...secrets,
      // A developer clicking around should not hit the production API budget of 100 calls / 15 min.
      RATE_LIMIT_API_POINTS: "5000",
      OTEL_SERVICE_NAME: "taskmaster-api",
      ...process.env,
      DATABASE_URL: db.appUrl,
      PORT: port,
    },
  },
);
log(`API  → http://localhost:${port}   (health: /api/health, metrics: /metrics)`);
log("Web  → http://localhost:5173");
log(`Sign in as ${DEMO_EMAIL} / ${process.env.DEMO_PASSWORD ? "(your DEMO_PASSWORD)" : demoPassword}`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  await db.stop();
  log("stopped");
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
child.on("exit", (code) => void stop(code ?? 0));
