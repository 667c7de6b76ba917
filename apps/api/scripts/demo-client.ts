// A third-party client in a dozen lines: signs in with @trpc/client and lists
// the demo account's projects and tasks. Run against `npm run dev`:
//   npm run demo-client -w @taskmaster/api   (API_URL, DEMO_EMAIL, DEMO_PASSWORD optional)
import { DEMO_EMAIL, resolveDemoPassword } from "@taskmaster/db";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "../src/router";

const url = `${process.env.API_URL ?? "http://localhost:3000"}/trpc`;
let accessToken = "";
const client = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url, headers: () => (accessToken ? { authorization: `Bearer ${accessToken}` } : {}) })],
});

const email = process.env.DEMO_EMAIL ?? DEMO_EMAIL;
const signIn = await client.auth.signIn.mutate({ email, password: resolveDemoPassword(process.env) });
if (signIn.status !== "ok") throw new Error("this account needs an MFA code");
accessToken = signIn.accessToken;
console.log(`signed in as ${signIn.user.displayName} <${signIn.user.email}>`);
for (const project of await client.projects.list.query()) {
  const { items, nextCursor } = await client.tasks.list.query({ projectId: project.id, limit: 5 });
  console.log(`\n${project.name} (${project.taskCounts.todo} to do, ${project.taskCounts.done} done)`);
  for (const t of items) console.log(`  [${t.status}] ${t.title}${t.dueDate ? ` (due ${t.dueDate})` : ""}`);
  if (nextCursor) console.log("  …");
}
