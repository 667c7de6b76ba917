import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appRouter } from "../src/routers";
import { startTestServer, type TestServer } from "../src/testing";
import { type ApiClient, browserClient, codeOf, errorOf, strongPassword } from "./support/client";

let db: TestDatabase;
let server: TestServer;
let anon: ApiClient;
let owner: ApiClient;
let other: ApiClient;
const ids: Record<"project" | "task" | "note" | "focus", string> = { project: "", task: "", note: "", focus: "" };

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.appUrl });
  anon = browserClient(server.url).client;
  owner = browserClient(server.url).client;
  other = browserClient(server.url).client;
  await owner.auth.signUp.mutate({ email: "owner@example.com", password: strongPassword, displayName: "Owner" });
  await other.auth.signUp.mutate({ email: "other@example.com", password: strongPassword, displayName: "Other" });
  ids.project = (await owner.projects.create.mutate({ name: "Private" })).id;
  ids.task = (await owner.tasks.create.mutate({ projectId: ids.project, title: "Private task" })).id;
  ids.note = (await owner.notes.create.mutate({ title: "Diary", body: "dear diary" })).id;
  ids.focus = (await owner.focus.start.mutate({ plannedMinutes: 10 })).id;
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

// Every protected procedure with a valid input naming the owner's rows.
const calls: [string, (c: ApiClient) => Promise<unknown>][] = [
  ["auth.me", (c) => c.auth.me.query()],
  ["auth.signOut", (c) => c.auth.signOut.mutate()],
  [
    "auth.changePassword",
    (c) => c.auth.changePassword.mutate({ currentPassword: strongPassword, newPassword: `${strongPassword}x` }),
  ],
  ["auth.sessions.list", (c) => c.auth.sessions.list.query()],
  ["auth.sessions.revoke", (c) => c.auth.sessions.revoke.mutate({ id: randomUUID() })],
  ["auth.mfa.enroll", (c) => c.auth.mfa.enroll.mutate()],
  ["auth.mfa.verify", (c) => c.auth.mfa.verify.mutate({ code: "123456" })],
  ["auth.mfa.disable", (c) => c.auth.mfa.disable.mutate({ code: "123456" })],
  ["projects.list", (c) => c.projects.list.query()],
  ["projects.get", (c) => c.projects.get.query({ id: ids.project })],
  ["projects.create", (c) => c.projects.create.mutate({ name: "x" })],
  ["projects.update", (c) => c.projects.update.mutate({ id: ids.project, name: "pwned" })],
  ["projects.archive", (c) => c.projects.archive.mutate({ id: ids.project, archived: true })],
  ["projects.delete", (c) => c.projects.delete.mutate({ id: ids.project })],
  ["projects.members.list", (c) => c.projects.members.list.query({ projectId: ids.project })],
  [
    "projects.members.add",
    (c) => c.projects.members.add.mutate({ projectId: ids.project, email: "other@example.com", role: "editor" }),
  ],
  [
    "projects.members.remove",
    (c) => c.projects.members.remove.mutate({ projectId: ids.project, userId: randomUUID() }),
  ],
  ["tasks.list", (c) => c.tasks.list.query({ projectId: ids.project })],
  ["tasks.calendar", (c) => c.tasks.calendar.query({ from: "2026-03-01", to: "2026-03-31" })],
  ["tasks.get", (c) => c.tasks.get.query({ id: ids.task })],
  ["tasks.create", (c) => c.tasks.create.mutate({ projectId: ids.project, title: "x" })],
  ["tasks.update", (c) => c.tasks.update.mutate({ id: ids.task, title: "pwned" })],
  ["tasks.move", (c) => c.tasks.move.mutate({ id: ids.task, afterId: null })],
  ["tasks.bulkStatus", (c) => c.tasks.bulkStatus.mutate({ ids: [ids.task], status: "done" })],
  ["tasks.delete", (c) => c.tasks.delete.mutate({ id: ids.task })],
  ["notes.list", (c) => c.notes.list.query()],
  ["notes.get", (c) => c.notes.get.query({ id: ids.note })],
  ["notes.create", (c) => c.notes.create.mutate({ title: "x", body: "y" })],
  ["notes.update", (c) => c.notes.update.mutate({ id: ids.note, body: "pwned" })],
  ["notes.delete", (c) => c.notes.delete.mutate({ id: ids.note })],
  ["focus.start", (c) => c.focus.start.mutate({ plannedMinutes: 5 })],
  ["focus.stop", (c) => c.focus.stop.mutate({ id: ids.focus, completed: true })],
  ["focus.current", (c) => c.focus.current.query()],
  ["focus.list", (c) => c.focus.list.query()],
  ["focus.stats", (c) => c.focus.stats.query()],
  ["dashboard.summary", (c) => c.dashboard.summary.query()],
];

// The ones anybody may call: signing up, signing in and refreshing a session.
const PUBLIC = ["auth.signUp", "auth.signIn", "auth.refresh"];

describe("without a session", () => {
  test("the list above names every procedure of the router that is not public", () => {
    const all = Object.keys(appRouter._def.procedures).sort();
    expect(all.filter((p) => !PUBLIC.includes(p))).toEqual(calls.map(([name]) => name).sort());
  });

  test.each(calls)("%s answers UNAUTHORIZED", async (_name, call) => {
    expect(await codeOf(call(anon))).toBe("UNAUTHORIZED");
  });
});

// Calls that name one of the owner's rows: another user must get NOT_FOUND, never the row.
const foreign = [
  "projects.get",
  "projects.update",
  "projects.archive",
  "projects.delete",
  "projects.members.list",
  "projects.members.add",
  "tasks.list",
  "tasks.get",
  "tasks.create",
  "tasks.update",
  "tasks.move",
  "tasks.delete",
  "notes.get",
  "notes.update",
  "notes.delete",
  "focus.stop",
  "auth.sessions.revoke",
];

describe("another user's ids", () => {
  test.each(calls.filter(([n]) => foreign.includes(n)))("%s answers NOT_FOUND", async (_name, call) => {
    expect(await codeOf(call(other))).toBe("NOT_FOUND");
  });

  test("bulk status on another user's tasks changes nothing", async () => {
    expect((await other.tasks.bulkStatus.mutate({ ids: [ids.task], status: "done" })).updated).toBe(0);
    expect((await owner.tasks.get.query({ id: ids.task })).status).toBe("todo");
  });

  test("the owner's rows are untouched after all those attempts", async () => {
    expect((await owner.projects.get.query({ id: ids.project })).name).toBe("Private");
    expect((await owner.tasks.get.query({ id: ids.task })).title).toBe("Private task");
    expect((await owner.notes.get.query({ id: ids.note })).body).toBe("dear diary");
  });
});

describe("invalid input", () => {
  const invalid: [string, (c: ApiClient) => Promise<unknown>, string][] = [
    ["projects.get", (c) => c.projects.get.query({ id: "not-a-uuid" }), "id"],
    ["projects.create", (c) => c.projects.create.mutate({ name: "" }), "name"],
    ["projects.create color", (c) => c.projects.create.mutate({ name: "ok", color: "red" }), "color"],
    ["tasks.create", (c) => c.tasks.create.mutate({ projectId: ids.project, title: "x".repeat(201) }), "title"],
    ["tasks.create tags", (c) => c.tasks.create.mutate({ projectId: ids.project, title: "ok", tags: ["<b>"] }), "tags"],
    [
      "tasks.list dueTo",
      (c) => c.tasks.list.query({ projectId: ids.project, dueFrom: "2026-02-02", dueTo: "2026-01-01" }),
      "dueTo",
    ],
    ["tasks.update dueDate", (c) => c.tasks.update.mutate({ id: ids.task, dueDate: "2026-02-30" }), "dueDate"],
    ["notes.create", (c) => c.notes.create.mutate({ title: "", body: "x" }), "title"],
    ["focus.start", (c) => c.focus.start.mutate({ plannedMinutes: 0 }), "plannedMinutes"],
    ["auth.signUp", (c) => c.auth.signUp.mutate({ email: "nope", password: "weak", displayName: "x" }), "email"],
  ];
  test.each(invalid)("%s answers BAD_REQUEST naming the field", async (_name, call, field) => {
    const err = await errorOf(call(owner));
    expect(err.data?.code).toBe("BAD_REQUEST");
    expect(Object.keys(err.data?.zodError?.fieldErrors ?? {})).toContain(field);
  });

  test("unknown keys are rejected rather than silently dropped", async () => {
    const err = await errorOf(owner.projects.create.mutate({ name: "x", ownerId: randomUUID() } as never));
    expect(err.data?.code).toBe("BAD_REQUEST");
  });

  test("a forged cursor is a clear BAD_REQUEST", async () => {
    const err = await errorOf(owner.tasks.list.query({ projectId: ids.project, cursor: "bm90LWpzb24" }));
    expect(err.data?.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/cursor/i);
  });
});
