import { initTRPC } from "@trpc/server";

const t = initTRPC.create();

export const appRouter = t.router({
  hello: t.procedure.query(() => "TaskMaster Pro"),
});
export type AppRouter = typeof appRouter;
