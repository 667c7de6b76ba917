import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import argon2 from "argon2";
import type { Sql, TransactionSql } from "postgres";
import type { TaskPriority, TaskStatus } from "./schema";

// Seeds write as the table owner (the migrator's connection): RLS does not
// apply to it, and no app role may create users for someone else.

export const DEMO_EMAIL = "demo@taskmaster.dev";
const DEFAULT_DEMO_PASSWORD = "Demo-password-1!";

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * The demo password: DEMO_PASSWORD, or the documented default outside
 * production. Production without DEMO_PASSWORD is refused, so no deployed
 * database ever gets a well-known password.
 */
export function resolveDemoPassword(env: {
  NODE_ENV?: string | undefined;
  DEMO_PASSWORD?: string | undefined;
}): string {
  if (env.DEMO_PASSWORD !== undefined && env.DEMO_PASSWORD !== "") {
    if (env.DEMO_PASSWORD.length < 8) throw new Error("DEMO_PASSWORD must be at least 8 characters");
    return env.DEMO_PASSWORD;
  }
  if (env.NODE_ENV === "production") {
    throw new Error("Refusing to seed the demo account in production without DEMO_PASSWORD");
  }
  return DEFAULT_DEMO_PASSWORD;
}

export interface SeedDemoResult {
  userId: string;
  email: string;
  /** False when the account already existed (its data is left as it was). */
  created: boolean;
  projects: number;
  tasks: number;
}

const DEMO_PROJECTS = [
  { name: "Product launch", color: "#4f46e5" },
  { name: "Home & errands", color: "#16a34a" },
];

const DEMO_TASKS: { title: string; tags: string[]; description?: string }[] = [
  { title: "Write the launch announcement", tags: ["marketing", "writing"] },
  { title: "Record the product demo video", tags: ["marketing"] },
  { title: "Fix sign-in redirect on Safari", tags: ["bug", "web"], description: "Happens after the session expires." },
  { title: "Review pricing page copy", tags: ["writing"] },
  { title: "Set up status page", tags: ["ops"] },
  { title: "Load test the task list API", tags: ["ops", "performance"] },
  { title: "Prepare the press kit", tags: ["marketing"] },
  { title: "Invite beta users", tags: ["community"] },
  { title: "Triage beta feedback", tags: ["community", "bug"] },
  { title: "Translate onboarding emails", tags: ["writing", "i18n"] },
  { title: "Rotate the staging secrets", tags: ["ops", "security"] },
  { title: "Check accessibility of the dashboard", tags: ["web", "a11y"] },
  { title: "Plan the launch-day rota", tags: ["ops"] },
  { title: "Update the changelog", tags: ["writing"] },
  { title: "Draft the FAQ", tags: ["writing", "support"] },
  { title: "Configure backups and test a restore", tags: ["ops"] },
  { title: "Send the investor update", tags: ["admin"] },
  { title: "Retrospective with the team", tags: ["team"] },
  { title: "Buy groceries", tags: ["home"], description: "Milk, eggs, coffee, apples." },
  { title: "Book the dentist", tags: ["health"] },
  { title: "Renew passport", tags: ["admin"] },
  { title: "Fix the bike's back brake", tags: ["home"] },
  { title: "Pay the electricity bill", tags: ["admin", "home"] },
  { title: "Call grandma", tags: ["family"] },
  { title: "Plan the weekend hike", tags: ["outdoors"] },
  { title: "Return the library books", tags: ["errands"] },
  { title: "Clean out the garage", tags: ["home"] },
  { title: "Water the plants", tags: ["home"] },
  { title: "Sort the tax documents", tags: ["admin"] },
  { title: "Read 'Designing Data-Intensive Applications'", tags: ["learning"] },
];

const STATUSES: TaskStatus[] = ["todo", "in_progress", "done"];
const PRIORITIES: TaskPriority[] = ["low", "medium", "high"];

function isoDate(daysFromToday: number, today = new Date()): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + daysFromToday));
  return d.toISOString().slice(0, 10);
}

/**
 * Creates demo@taskmaster.dev with two projects and 30 tasks of every status,
 * priority and due-date kind (overdue, today, later, none). Idempotent: an
 * existing account keeps its data; only its password is reset to `password`
 * when it no longer matches, so the sign-in line the dev script prints works.
 */
export async function seedDemo(adminSql: Sql, options: { password: string }): Promise<SeedDemoResult> {
  const hash = await argon2.hash(options.password, ARGON2_OPTIONS);
  return adminSql.begin(async (sql) => {
    const inserted = await sql<{ id: string }[]>`
      insert into users (email, display_name, password_hash)
      values (${DEMO_EMAIL}, 'Demo User', ${hash})
      on conflict ((lower(email))) do nothing
      returning id`;
    let userId = inserted[0]?.id;
    const created = userId !== undefined;
    if (!userId) {
      const [existing] = await sql<{ id: string; passwordHash: string }[]>`
        select id, password_hash as "passwordHash" from users where lower(email) = ${DEMO_EMAIL}`;
      if (!existing) throw new Error("demo user vanished during seeding");
      userId = existing.id;
      if (!(await argon2.verify(existing.passwordHash, options.password))) {
        await sql`update users set password_hash = ${hash}, password_changed_at = now() where id = ${userId}`;
      }
    }
    const [owned] = await sql<{ n: number }[]>`select count(*)::int as n from projects where owner_id = ${userId}`;
    if ((owned?.n ?? 0) === 0) {
      const projectIds: string[] = [];
      for (const p of DEMO_PROJECTS) {
        const [row] = await sql<{ id: string }[]>`
          insert into projects (owner_id, name, color) values (${userId}, ${p.name}, ${p.color}) returning id`;
        if (row) projectIds.push(row.id);
      }
      const rows = DEMO_TASKS.map((t, i) => {
        const status = STATUSES[i % 3] as TaskStatus;
        // Spread due dates over overdue, today, soon, later and none.
        const dueOffsets = [-3, 0, 2, 7, 30, null];
        const due = dueOffsets[i % dueOffsets.length];
        return {
          project_id: projectIds[i < 18 ? 0 : 1],
          creator_id: userId,
          title: t.title,
          description: t.description ?? "",
          status,
          priority: PRIORITIES[(i * 2) % 3] as TaskPriority,
          tags: t.tags,
          due_date: due === null || due === undefined ? null : isoDate(due),
          position: (i + 1) * 1024,
          completed_at: status === "done" ? new Date(Date.now() - (i + 1) * 3_600_000) : null,
        };
      });
      await sql`insert into tasks ${sql(rows)}`;
    }
    const [counts] = await sql<{ projects: number; tasks: number }[]>`
      select (select count(*)::int from projects where owner_id = ${userId}) as projects,
             (select count(*)::int from tasks t join projects p on p.id = t.project_id where p.owner_id = ${userId}) as tasks`;
    return { userId, email: DEMO_EMAIL, created, projects: counts?.projects ?? 0, tasks: counts?.tasks ?? 0 };
  });
}

export interface SeedLargeOptions {
  users: number;
  tasks: number;
  /** Share of all tasks that belong to the first ("heavy") user (default 0.1). */
  heavyShare?: number;
  /** Email prefix of the generated users: `<prefix>-<n>@seed.taskmaster.dev` (default "seed"). */
  prefix?: string;
  /** Password of every generated user. */
  password: string;
  log?: (line: string) => void;
}

export interface SeedLargeResult {
  users: number;
  projects: number;
  tasks: number;
  heavyUserEmail: string;
  seconds: number;
}

const PROJECTS_PER_USER = 5;
const PROJECTS_OF_HEAVY_USER = 10;
const TAGS = ["bug", "feature", "ops", "design", "docs", "research", "urgent", "later"];

// COPY text format: backslash, tab and newlines must be escaped; \N is NULL.
function copyValue(value: string | number | null): string {
  if (value === null) return "\\N";
  return String(value).replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] ?? c);
}

function copyLine(values: (string | number | null)[]): string {
  return `${values.map(copyValue).join("\t")}\n`;
}

/** Streams rows into `copy <table> (<columns>) from stdin`, chunked so the socket stays busy. */
async function copyInto(
  sql: Sql | TransactionSql,
  table: string,
  columns: string[],
  rows: Iterable<(string | number | null)[]>,
  onProgress?: (rows: number) => void,
): Promise<number> {
  let count = 0;
  function* chunks() {
    let chunk = "";
    for (const row of rows) {
      chunk += copyLine(row);
      count++;
      if (count % 5_000 === 0) {
        yield chunk;
        chunk = "";
        onProgress?.(count);
      }
    }
    if (chunk) yield chunk;
    if (count % 5_000 !== 0) onProgress?.(count);
  }
  const writable = await sql.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
  await pipeline(Readable.from(chunks()), writable);
  return count;
}

function positiveInt(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got ${value}`);
  return value;
}

/**
 * A large data set for load tests and query plans: `users` users (one heavy
 * user owning `heavyShare` of the tasks), five projects each (ten for the
 * heavy one), every user's first project shared with the next user, and
 * `tasks` tasks of varied status, priority, tags and due dates. Rows go in by
 * COPY inside one transaction, then the tables are analysed.
 */
export async function seedLarge(adminSql: Sql, options: SeedLargeOptions): Promise<SeedLargeResult> {
  const userCount = positiveInt(options.users, "users");
  const taskCount = positiveInt(options.tasks, "tasks");
  const heavyShare = options.heavyShare ?? 0.1;
  if (!(heavyShare >= 0 && heavyShare <= 1)) throw new Error(`heavyShare must be between 0 and 1, got ${heavyShare}`);
  const prefix = options.prefix ?? "seed";
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(prefix)) throw new Error(`prefix must be lower-case letters, digits, dashes`);
  const log = options.log ?? (() => {});
  const started = performance.now();
  const emailOf = (i: number) => `${prefix}-${i}@seed.taskmaster.dev`;

  const [clash] = await adminSql<{ n: number }[]>`
    select count(*)::int as n from users where lower(email) like ${`${prefix}-%@seed.taskmaster.dev`}`;
  if ((clash?.n ?? 0) > 0) {
    throw new Error(
      `${clash?.n} users with prefix "${prefix}" exist already; pass another --prefix or use a fresh database`,
    );
  }

  const hash = await argon2.hash(options.password, ARGON2_OPTIONS);
  const userIds = Array.from({ length: userCount }, () => randomUUID());
  const projects: { id: string; owner: number }[] = [];
  userIds.forEach((_, u) => {
    const n = u === 0 ? PROJECTS_OF_HEAVY_USER : PROJECTS_PER_USER;
    for (let p = 0; p < n; p++) projects.push({ id: randomUUID(), owner: u });
  });
  const projectsOf = new Map<number, string[]>();
  for (const p of projects) projectsOf.set(p.owner, [...(projectsOf.get(p.owner) ?? []), p.id]);

  const heavyTasks = userCount === 1 ? taskCount : Math.round(taskCount * heavyShare);
  const otherUsers = userCount - 1;

  await adminSql.begin(async (sql) => {
    await copyInto(
      sql,
      "users",
      ["id", "email", "display_name", "password_hash"],
      userIds.map((id, i) => [id, emailOf(i), `Seed User ${i}`, hash]),
    );
    log(`users: ${userCount}`);
    await copyInto(
      sql,
      "projects",
      ["id", "owner_id", "name", "color"],
      projects.map((p, i) => [p.id, userIds[p.owner] as string, `Project ${i}`, "#4f46e5"]),
    );
    log(`projects: ${projects.length}`);
    if (userCount > 1) {
      await copyInto(
        sql,
        "project_members",
        ["project_id", "user_id", "role"],
        userIds.map((_, u) => [
          (projectsOf.get(u) as string[])[0] as string,
          userIds[(u + 1) % userCount] as string,
          u % 2 === 0 ? "viewer" : "editor",
        ]),
      );
    }

    const today = new Date();
    function* taskRows(): Generator<(string | number | null)[]> {
      let n = 0;
      const emit = function* (owner: number, count: number) {
        const own = projectsOf.get(owner) as string[];
        for (let i = 0; i < count; i++) {
          const status = STATUSES[n % 3] as TaskStatus;
          const due = n % 5 === 0 ? null : isoDate((n % 61) - 20, today);
          yield [
            randomUUID(),
            own[i % own.length] as string,
            userIds[owner] as string,
            `Task ${n} for ${TAGS[n % TAGS.length]}`,
            n % 4 === 0 ? `Details of task ${n}` : "",
            status,
            PRIORITIES[(n >> 1) % 3] as TaskPriority,
            `{${TAGS[n % TAGS.length]}${n % 3 === 0 ? `,${TAGS[(n + 3) % TAGS.length]}` : ""}}`,
            due,
            Math.floor(i / own.length + 1) * 1024,
            status === "done" ? today.toISOString() : null,
          ];
          n++;
        }
      };
      yield* emit(0, heavyTasks);
      for (let u = 1; u <= otherUsers; u++) {
        // Spread the remainder so the total is exact.
        const share =
          Math.floor((taskCount - heavyTasks) / otherUsers) + (u <= (taskCount - heavyTasks) % otherUsers ? 1 : 0);
        yield* emit(u, share);
      }
    }
    let lastLog = performance.now();
    await copyInto(
      sql,
      "tasks",
      [
        "id",
        "project_id",
        "creator_id",
        "title",
        "description",
        "status",
        "priority",
        "tags",
        "due_date",
        "position",
        "completed_at",
      ],
      taskRows(),
      (rows) => {
        const now = performance.now();
        if (now - lastLog >= 2_000 || rows === taskCount) {
          lastLog = now;
          const secs = (now - started) / 1000;
          log(`tasks: ${rows.toLocaleString("en")} / ${taskCount.toLocaleString("en")} (${secs.toFixed(1)} s)`);
        }
      },
    );
  });
  log("analysing");
  await adminSql`analyze users, projects, project_members, tasks`;
  return {
    users: userCount,
    projects: projects.length,
    tasks: taskCount,
    heavyUserEmail: emailOf(0),
    seconds: (performance.now() - started) / 1000,
  };
}
