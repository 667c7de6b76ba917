// `npm run dev` for the API: a database (DATABASE_URL, or an embedded
// PostgreSQL kept in .data/), migrated, then the server under `tsx watch`.
// Ctrl-C stops the server and then the embedded database.
import { spawn } from "node:child_process";
import path from "node:path";
import { openLocalDatabase } from "@taskmaster/db/local";

const rootDir = path.resolve(import.meta.dirname, "../../..");
const log = (line: string) => console.log(`[dev] ${line}`);

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

const port = process.env.PORT ?? "3000";
const child = spawn(process.execPath, ["--import", "tsx", "--watch", "--watch-preserve-output", "src/server.ts"], {
  cwd: path.resolve(import.meta.dirname, ".."),
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: db.appUrl, PORT: port },
});
log(`API:  http://localhost:${port}   web: http://localhost:5173`);

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
