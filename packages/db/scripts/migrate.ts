// `npm run db:migrate`: migrates DATABASE_URL, or the embedded dev database when it is unset.
import path from "node:path";
import { openLocalDatabase } from "../src/local";

const rootDir = path.resolve(import.meta.dirname, "../../..");
try {
  const db = await openLocalDatabase({
    databaseUrl: process.env.DATABASE_URL,
    appPassword: process.env.DB_APP_PASSWORD,
    rootDir,
    embeddedPort: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    log: (line) => console.log(line),
  });
  await db.stop();
} catch (err) {
  console.error(`db:migrate failed: ${(err as Error).message}`);
  process.exit(1);
}
