import { index, integer, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { focusState } from "./enums";
import { tasks } from "./tasks";
import { users } from "./users";

export const focusSessions = pgTable(
  "focus_sessions",
  {
    id: id(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => tasks.id, { onDelete: "set null" }),
    plannedMinutes: integer("planned_minutes").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    state: focusState("state").notNull().default("running"),
    ...timestamps(),
  },
  (t) => [
    index("focus_sessions_owner_started_idx").on(t.ownerId, t.startedAt.desc(), t.id),
    index("focus_sessions_task_id_idx").on(t.taskId),
  ],
);
