import { router } from "../trpc";
import { authRouter } from "./auth";
import { dashboardRouter } from "./dashboard";
import { focusRouter } from "./focus";
import { notesRouter } from "./notes";
import { projectsRouter } from "./projects";
import { tasksRouter } from "./tasks";

export const appRouter = router({
  auth: authRouter,
  projects: projectsRouter,
  tasks: tasksRouter,
  notes: notesRouter,
  focus: focusRouter,
  dashboard: dashboardRouter,
});
export type AppRouter = typeof appRouter;
