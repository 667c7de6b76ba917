// `npm run db:seed`: the demo account, or with `--users N --tasks M` a large data set.
// Seeds DATABASE_URL (as its owner), or the embedded dev database when unset.
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openLocalDatabase } from "../src/local";
import { resolveDemoPassword, seedDemo, seedLarge } from "../src/seed";

const usage = "usage: npm run db:seed [-- --users N --tasks M [--heavy-share 0.1] [--prefix seed]]";

function intArg(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive integer (${usage})`);
  return Number(value);
}

async function main() {
  const { values } = parseArgs({
    options: {
      users: { type: "string" },
      tasks: { type: "string" },
      "heavy-share": { type: "string" },
      prefix: { type: "string" },
    },
    strict: true,
  });
  const users = intArg(values.users, "users");
  const tasks = intArg(values.tasks, "tasks");
  if ((users === undefined) !== (tasks === undefined)) throw new Error(`--users and --tasks go together (${usage})`);
  const heavyShare = values["heavy-share"] === undefined ? undefined : Number(values["heavy-share"]);
  const password = resolveDemoPassword(process.env);

  const db = await openLocalDatabase({
    databaseUrl: process.env.DATABASE_URL,
    appPassword: process.env.DB_APP_PASSWORD,
    rootDir: path.resolve(import.meta.dirname, "../../.."),
    embeddedPort: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    log: (line) => console.log(line),
  });
  const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  try {
    if (users !== undefined && tasks !== undefined) {
      const r = await seedLarge(admin, {
        users,
        tasks,
        heavyShare,
        prefix: values.prefix,
        password,
        log: (line) => console.log(line),
      });
      console.log(
        `seeded ${r.users} users, ${r.projects} projects, ${r.tasks} tasks in ${r.seconds.toFixed(1)} s; ` +
          `heaviest user ${r.heavyUserEmail} (same password as the demo account)`,
      );
    } else {
      const r = await seedDemo(admin, { password });
      console.log(
        `${r.created ? "created" : "kept"} ${r.email}: ${r.projects} projects, ${r.tasks} tasks` +
          (process.env.DEMO_PASSWORD ? " (password from DEMO_PASSWORD)" : " (password: Demo-password-1!)"),
      );
    }
  } finally {
    await admin.end();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(`db:seed failed: ${(err as Error).message}`);
  process.exit(1);
});
