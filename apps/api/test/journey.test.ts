import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../src/testing";
import { browserClient, codeOf, errorOf, strongPassword } from "./support/client";

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

describe("a full user journey through @trpc/client", () => {
  test("sign up, organise work, share read-only, notes, focus, dashboard", async () => {
    const ada = browserClient(server.url).client;
    const signUp = await ada.auth.signUp.mutate({
      email: "Ada@Example.com",
      password: strongPassword,
      displayName: "Ada",
    });
    expect(signUp.user).toMatchObject({ email: "ada@example.com", displayName: "Ada", mfaEnabled: false });
    expect(await ada.auth.me.query()).toMatchObject({ email: "ada@example.com" });

    // A second browser signs in with the same credentials.
    const adaLaptop = browserClient(server.url).client;
    const signIn = await adaLaptop.auth.signIn.mutate({ email: "ada@example.com", password: strongPassword });
    expect(signIn.status).toBe("ok");

    const project = await ada.projects.create.mutate({ name: "Launch", color: "#ff0000" });
    expect(project).toMatchObject({ name: "Launch", color: "#ff0000", role: "owner", archived: false });

    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push(
        await ada.tasks.create.mutate({
          projectId: project.id,
          title: `Task ${i} ${i % 2 ? "meeting notes" : "release plan"}`,
          priority: i % 3 === 0 ? "high" : "low",
          tags: i % 2 ? ["ops"] : ["eng"],
          dueDate: i === 0 ? today : i === 1 ? yesterday : null,
          description: i === 2 ? "<b>bold</b><script>alert(1)</script>" : undefined,
        }),
      );
    }
    expect(created[2]?.description).toBe("<b>bold</b>");
    expect(created.map((t) => t.position)).toEqual([...created.map((t) => t.position)].sort((a, b) => a - b));

    // Filters, search, sort and cursor pagination.
    const eng = await ada.tasks.list.query({ projectId: project.id, tag: "eng" });
    expect(eng.items.map((t) => t.title)).toEqual(created.filter((_, i) => i % 2 === 0).map((t) => t.title));
    const search = await ada.tasks.list.query({ projectId: project.id, search: "meet" });
    expect(search.items).toHaveLength(3);
    const high = await ada.tasks.list.query({ projectId: project.id, priority: ["high"], sort: "created" });
    expect(high.items.map((t) => t.id)).toEqual([created[6]?.id, created[3]?.id, created[0]?.id]);
    // tRPC's infinite queries send `direction`; the strict input accepts it.
    const page1 = await ada.tasks.list.query({ projectId: project.id, limit: 3, direction: "forward" });
    const page2 = await ada.tasks.list.query({ projectId: project.id, limit: 3, cursor: page1.nextCursor });
    const page3 = await ada.tasks.list.query({ projectId: project.id, limit: 3, cursor: page2.nextCursor });
    expect([...page1.items, ...page2.items, ...page3.items].map((t) => t.id)).toEqual(created.map((t) => t.id));
    expect(page3.nextCursor).toBeNull();
    const due = await ada.tasks.list.query({ projectId: project.id, sort: "due", limit: 2 });
    expect(due.items.map((t) => t.id)).toEqual([created[1]?.id, created[0]?.id]);

    // Update, complete, move, bulk, delete.
    const renamed = await ada.tasks.update.mutate({ id: created[0]?.id ?? "", title: "Ship it", status: "done" });
    expect(renamed).toMatchObject({ title: "Ship it", status: "done" });
    expect(renamed.completedAt).not.toBeNull();
    const moved = await ada.tasks.move.mutate({ id: created[6]?.id ?? "", afterId: null });
    const order = await ada.tasks.list.query({ projectId: project.id });
    expect(order.items[0]?.id).toBe(moved.id);
    const moved2 = await ada.tasks.move.mutate({ id: created[6]?.id ?? "", afterId: created[3]?.id ?? "" });
    const order2 = (await ada.tasks.list.query({ projectId: project.id })).items.map((t) => t.id);
    expect(order2.indexOf(moved2.id)).toBe(order2.indexOf(created[3]?.id ?? "") + 1);
    const bulk = await ada.tasks.bulkStatus.mutate({
      ids: [created[1]?.id ?? "", created[2]?.id ?? ""],
      status: "in_progress",
    });
    expect(bulk.updated).toBe(2);
    await ada.tasks.delete.mutate({ id: created[5]?.id ?? "" });
    expect(await codeOf(ada.tasks.get.query({ id: created[5]?.id ?? "" }))).toBe("NOT_FOUND");

    // Project task counts agree with the tasks (a correlated subquery once bound to the wrong table).
    const counted = (await ada.projects.list.query()).find((p) => p.id === project.id);
    const listed = (await ada.tasks.list.query({ projectId: project.id, limit: 100 })).items;
    expect(counted?.taskCounts).toEqual({
      todo: listed.filter((t) => t.status === "todo").length,
      in_progress: listed.filter((t) => t.status === "in_progress").length,
      done: listed.filter((t) => t.status === "done").length,
    });
    expect(listed.length).toBeGreaterThan(0);

    // Sharing: Bob gets read-only access.
    const bob = browserClient(server.url).client;
    await bob.auth.signUp.mutate({ email: "bob@example.com", password: strongPassword, displayName: "Bob" });
    expect(await codeOf(bob.projects.get.query({ id: project.id }))).toBe("NOT_FOUND");
    await ada.projects.members.add.mutate({ projectId: project.id, email: "BOB@example.com", role: "viewer" });
    const members = await bob.projects.members.list.query({ projectId: project.id });
    expect(members.map((m) => [m.displayName, m.role])).toEqual([
      ["Ada", "owner"],
      ["Bob", "viewer"],
    ]);
    expect((await bob.projects.get.query({ id: project.id })).role).toBe("viewer");
    expect((await bob.tasks.list.query({ projectId: project.id })).items).toHaveLength(6);
    expect(await codeOf(bob.tasks.update.mutate({ id: created[1]?.id ?? "", title: "hijack" }))).toBe("FORBIDDEN");
    expect(await codeOf(bob.tasks.create.mutate({ projectId: project.id, title: "nope" }))).toBe("FORBIDDEN");
    expect(await codeOf(bob.projects.delete.mutate({ id: project.id }))).toBe("FORBIDDEN");
    expect((await ada.tasks.get.query({ id: created[1]?.id ?? "" })).title).not.toBe("hijack");

    // Notes are encrypted at rest and readable through the API.
    const note = await ada.notes.create.mutate({ title: "Plan", body: "the secret launch date is friday" });
    expect((await ada.notes.get.query({ id: note.id })).body).toBe("the secret launch date is friday");
    expect((await ada.notes.list.query()).items.map((n) => n.id)).toEqual([note.id]);
    expect(await codeOf(bob.notes.get.query({ id: note.id }))).toBe("NOT_FOUND");
    const admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const [stored] = await admin`select body from notes where id = ${note.id}`;
      expect(String(stored?.body)).not.toContain("secret launch");
    } finally {
      await admin.end();
    }

    // Focus sessions.
    const session = await ada.focus.start.mutate({ plannedMinutes: 25, taskId: created[1]?.id ?? null });
    expect(await codeOf(ada.focus.start.mutate({ plannedMinutes: 5 }))).toBe("CONFLICT");
    expect((await ada.focus.current.query())?.id).toBe(session.id);
    const stopped = await ada.focus.stop.mutate({ id: session.id, completed: true });
    expect(stopped.state).toBe("completed");
    const stats = await ada.focus.stats.query({ days: 7 });
    expect(stats.completedSessions).toBe(1);
    expect(stats.perDay).toHaveLength(7);

    // The dashboard agrees with the data above.
    const summary = await ada.dashboard.summary.query();
    const all = (await ada.tasks.list.query({ projectId: project.id, limit: 100 })).items;
    expect(summary.countsByStatus).toEqual({
      todo: all.filter((t) => t.status === "todo").length,
      in_progress: all.filter((t) => t.status === "in_progress").length,
      done: all.filter((t) => t.status === "done").length,
    });
    expect(summary.overdue).toBe(all.filter((t) => t.dueDate && t.dueDate < today && t.status !== "done").length);
    expect(summary.dueToday).toBe(all.filter((t) => t.dueDate === today && t.status !== "done").length);
    expect(summary.completedPerDay).toHaveLength(14);
    expect(summary.completedPerDay.at(-1)).toEqual({ date: today, count: 1 });

    // Removing Bob removes his access at once.
    await ada.projects.members.remove.mutate({ projectId: project.id, userId: members[1]?.userId ?? "" });
    expect(await codeOf(bob.projects.get.query({ id: project.id }))).toBe("NOT_FOUND");
    expect(await codeOf(bob.tasks.list.query({ projectId: project.id }))).toBe("NOT_FOUND");

    // Every write left an audit entry for its actor.
    const err = await errorOf(
      ada.tasks.create.mutate({ projectId: project.id, title: "<img src=x onerror=alert(1)>" }),
    );
    expect(err.data?.code).toBe("BAD_REQUEST");
    expect(err.data?.zodError?.fieldErrors).toHaveProperty("title");
  });
});
