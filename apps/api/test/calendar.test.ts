import { createDatabase, type Database, withUserContext } from "@taskmaster/db";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CALENDAR_ROW_CAP, calendarQuery } from "../src/routers/tasks";
import { startTestServer, type TestServer } from "../src/testing";
import { type ApiClient, browserClient, codeOf, errorOf, strongPassword } from "./support/client";

let db: TestDatabase;
let server: TestServer;
let ada: ApiClient;
let bob: ApiClient;
let adaId: string;
const project = { own: "", shared: "", bobs: "", archived: "" };

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.appUrl });
  ada = browserClient(server.url).client;
  bob = browserClient(server.url).client;
  adaId = (await ada.auth.signUp.mutate({ email: "ada@example.com", password: strongPassword, displayName: "Ada" }))
    .user.id;
  await bob.auth.signUp.mutate({ email: "bob@example.com", password: strongPassword, displayName: "Bob" });

  project.own = (await ada.projects.create.mutate({ name: "Ada's", color: "#112233" })).id;
  project.archived = (await ada.projects.create.mutate({ name: "Old" })).id;
  project.bobs = (await bob.projects.create.mutate({ name: "Bob's private" })).id;
  project.shared = (await bob.projects.create.mutate({ name: "Bob shares", color: "#445566" })).id;
  await bob.projects.members.add.mutate({ projectId: project.shared, email: "ada@example.com", role: "viewer" });

  const add = (c: ApiClient, projectId: string, title: string, dueDate: string | null, extra = {}) =>
    c.tasks.create.mutate({ projectId, title, dueDate, ...extra });
  await add(ada, project.own, "Late March", "2026-03-31");
  await add(ada, project.own, "Mid March low", "2026-03-15", { priority: "low" });
  await add(ada, project.own, "Mid March high", "2026-03-15", { priority: "high", status: "done" });
  await add(ada, project.own, "Early March", "2026-03-01");
  await add(ada, project.own, "February", "2026-02-28");
  await add(ada, project.own, "April", "2026-04-01");
  await add(ada, project.own, "No due date", null);
  await add(ada, project.archived, "In an archived project", "2026-03-10");
  await ada.projects.archive.mutate({ id: project.archived, archived: true });
  await add(bob, project.bobs, "Bob's secret", "2026-03-10");
  await add(bob, project.shared, "Shared with Ada", "2026-03-20");
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const MARCH = { from: "2026-03-01", to: "2026-03-31" };

describe("tasks.calendar", () => {
  test("signed out: UNAUTHORIZED", async () => {
    expect(await codeOf(browserClient(server.url).client.tasks.calendar.query(MARCH))).toBe("UNAUTHORIZED");
  });

  test("returns the range's tasks across own and shared projects, ordered by due date", async () => {
    const march = await ada.tasks.calendar.query(MARCH);
    expect(march.truncated).toBe(false);
    expect(march.items.map((t) => [t.dueDate, t.title])).toEqual([
      ["2026-03-01", "Early March"],
      ["2026-03-15", "Mid March high"],
      ["2026-03-15", "Mid March low"],
      ["2026-03-20", "Shared with Ada"],
      ["2026-03-31", "Late March"],
    ]);
    expect(march.items[1]).toMatchObject({
      status: "done",
      priority: "high",
      projectId: project.own,
      projectName: "Ada's",
      projectColor: "#112233",
    });
    expect(march.items[3]).toMatchObject({ projectId: project.shared, projectName: "Bob shares" });
  });

  test("another user's tasks never appear; the owner sees them", async () => {
    const adaSees = (await ada.tasks.calendar.query(MARCH)).items.map((t) => t.title);
    expect(adaSees).not.toContain("Bob's secret");
    const bobSees = (await bob.tasks.calendar.query(MARCH)).items.map((t) => t.title);
    expect(bobSees).toEqual(["Bob's secret", "Shared with Ada"]);
  });

  test("archived projects stay off the calendar", async () => {
    const titles = (await ada.tasks.calendar.query(MARCH)).items.map((t) => t.title);
    expect(titles).not.toContain("In an archived project");
  });

  test("a member removed from a project loses its tasks", async () => {
    const other = browserClient(server.url).client;
    const { user } = await other.auth.signUp.mutate({
      email: "cy@example.com",
      password: strongPassword,
      displayName: "Cy",
    });
    await bob.projects.members.add.mutate({ projectId: project.shared, email: "cy@example.com", role: "editor" });
    expect((await other.tasks.calendar.query(MARCH)).items.map((t) => t.title)).toEqual(["Shared with Ada"]);
    await bob.projects.members.remove.mutate({ projectId: project.shared, userId: user.id });
    expect((await other.tasks.calendar.query(MARCH)).items).toEqual([]);
  });

  test("both ends of the range are inclusive; a one-day range works", async () => {
    const day = await ada.tasks.calendar.query({ from: "2026-03-15", to: "2026-03-15" });
    expect(day.items.map((t) => t.title)).toEqual(["Mid March high", "Mid March low"]);
    const edges = await ada.tasks.calendar.query({ from: "2026-02-28", to: "2026-04-01" });
    expect(edges.items.map((t) => t.title)).toContain("February");
    expect(edges.items.map((t) => t.title)).toContain("April");
  });

  const invalid: [string, Record<string, unknown>, string, RegExp][] = [
    ["from missing", { to: "2026-03-01" }, "from", /from is required/],
    ["from not a date", { from: "yesterday", to: "2026-03-01" }, "from", /from must be a real date/],
    ["to not a real date", { from: "2026-02-01", to: "2026-02-30" }, "to", /to must be a real date/],
    ["to before from", { from: "2026-03-02", to: "2026-03-01" }, "to", /to must not be before from/],
    ["more than 42 days", { from: "2026-01-01", to: "2026-02-12" }, "to", /at most 42 days/],
    ["unknown keys", { ...MARCH, projectId: "x" }, "", /unrecognized/i],
  ];
  test.each(invalid)("%s: BAD_REQUEST naming the field", async (_name, input, field, message) => {
    const err = await errorOf(ada.tasks.calendar.query(input as never));
    expect(err.data?.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(message);
    if (field) expect(Object.keys(err.data?.zodError?.fieldErrors ?? {})).toContain(field);
  });

  test("exactly 42 days is allowed", async () => {
    const six = await ada.tasks.calendar.query({ from: "2026-02-23", to: "2026-04-05" });
    expect(six.items.length).toBe(7);
  });

  test(`caps the answer at ${CALENDAR_ROW_CAP} tasks and says it was truncated`, async () => {
    const busy = (await ada.projects.create.mutate({ name: "Busy" })).id;
    // Straight into the table (as Ada, through RLS): 500+ API calls would only be slow.
    const database: Database = createDatabase(db.appUrl, { max: 1 });
    try {
      await withUserContext(database, adaId, (tx) =>
        tx.execute(sql`insert into tasks (project_id, creator_id, title, due_date, position)
          select ${busy}::uuid, ${adaId}::uuid, 'Busy ' || n, date '2026-05-01' + (n % 30), n
          from generate_series(1, ${CALENDAR_ROW_CAP + 5}) n`),
      );
    } finally {
      await database.close();
    }
    const may = await ada.tasks.calendar.query({ from: "2026-05-01", to: "2026-05-31" });
    expect(may.truncated).toBe(true);
    expect(may.items).toHaveLength(CALENDAR_ROW_CAP);
    const dates = may.items.map((t) => t.dueDate);
    expect(dates).toEqual([...dates].sort());
  });

  test("the range is read from tasks_project_due_idx, not by scanning every user's tasks", async () => {
    // Enough of someone else's tasks that reading them all costs more than the index: RLS hides
    // them, but only an access path through Ada's projects keeps the statement from reading them.
    const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin`insert into tasks (project_id, creator_id, title, due_date, position)
        select ${project.bobs}::uuid, owner_id, 'Bob busy ' || n, date '2026-01-01' + (n % 365), n
        from projects, generate_series(1, 60000) n where id = ${project.bobs}::uuid`;
      await admin`analyze tasks`;
      await admin`analyze projects`;
    } finally {
      await admin.end();
    }
    const database: Database = createDatabase(db.appUrl, { max: 1 });
    try {
      const plan = await withUserContext(database, adaId, async (tx) => {
        const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`explain ${calendarQuery(tx, MARCH)}`);
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      });
      expect(plan).toMatch(/tasks_project_due_idx/);
      expect(plan).not.toMatch(/Seq Scan on tasks/);
    } finally {
      await database.close();
    }
    // And the answer is still Ada's March, none of Bob's private tasks.
    const march = await ada.tasks.calendar.query(MARCH);
    expect(march.items.some((t) => t.title.startsWith("Bob busy"))).toBe(false);
  });
});
