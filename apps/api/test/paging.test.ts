import { createTestDatabase, type TestDatabase } from "@taskmaster/db/testing";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../src/testing";
import { type ApiClient, browserClient, strongPassword } from "./support/client";

let db: TestDatabase;
let server: TestServer;
let client: ApiClient;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.appUrl });
  client = browserClient(server.url).client;
  await client.auth.signUp.mutate({ email: "pager@example.com", password: strongPassword, displayName: "Pager" });
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

/** Follows nextCursor to the end, returning each page's ids. */
async function allPages(
  fetchPage: (cursor: string | null) => Promise<{ items: { id: string }[]; nextCursor: string | null }>,
) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await fetchPage(cursor);
    pages.push(page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 10);
  return pages;
}

test("notes page newest first, every note exactly once, and the last page has no cursor", async () => {
  const created: string[] = [];
  for (let i = 0; i < 5; i++) created.push((await client.notes.create.mutate({ title: `n${i}`, body: "b" })).id);
  const pages = await allPages((cursor) => client.notes.list.query({ limit: 2, cursor }));
  expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  expect(pages.flat()).toEqual([...created].reverse());
});

test("focus sessions page newest first, every session exactly once", async () => {
  const started: string[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await client.focus.start.mutate({ plannedMinutes: 5 });
    await client.focus.stop.mutate({ id: s.id, completed: false });
    started.push(s.id);
  }
  const pages = await allPages((cursor) => client.focus.list.query({ limit: 2, cursor, direction: "forward" }));
  expect(pages.map((p) => p.length)).toEqual([2, 1]);
  expect(pages.flat()).toEqual([...started].reverse());
});
