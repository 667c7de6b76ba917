// `npm run db:lint-rls`: checks RLS coverage of DATABASE_URL (or the embedded
// dev database) and exits 1 listing every problem.
import path from "node:path";
import postgres from "postgres";
import { checkRls } from "../src/lint-rls";
import { openLocalDatabase } from "../src/local";
import { API_LOGIN_ROLE } from "../src/urls";

async function main(): Promise<number> {
  const db = await openLocalDatabase({
    databaseUrl: process.env.DATABASE_URL,
    appPassword: process.env.DB_APP_PASSWORD,
    rootDir: path.resolve(import.meta.dirname, "../../.."),
    embeddedPort: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
  });
  const sql = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const problems = await checkRls(sql, { loginRole: process.env.DB_LOGIN_ROLE ?? API_LOGIN_ROLE });
    if (problems.length === 0) {
      console.log("db:lint-rls: every table has RLS enabled, forced and covered by policies");
      return 0;
    }
    console.error(`db:lint-rls: ${problems.length} problem(s):`);
    for (const p of problems) console.error(`- ${p}`);
    return 1;
  } finally {
    await sql.end();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`db:lint-rls failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
