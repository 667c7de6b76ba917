import { type SQL, sql } from "drizzle-orm";
import { customType, date, doublePrecision, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { taskPriority, taskStatus } from "./enums";
import { projects } from "./projects";
import { users } from "./users";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const tasks = pgTable(
  "tasks",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    creatorId: uuid("creator_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: taskStatus("status").notNull().default("todo"),
    priority: taskPriority("priority").notNull().default("medium"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    dueDate: date("due_date", { mode: "string" }),
    /** Manual ordering inside a project: fractional, so a move rewrites one row. */
    position: doublePrecision("position").notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** Maintained by Postgres for text search; never written by the app. */
    search: tsvector("search").generatedAlwaysAs(
      (): SQL => sql`to_tsvector('simple', ${tasks.title} || ' ' || ${tasks.description})`,
    ),
    ...timestamps(),
  },
  (t) => [
    index("tasks_project_position_idx").on(t.projectId, t.position, t.id),
    index("tasks_project_created_idx").on(t.projectId, t.createdAt.desc(), t.id),
    index("tasks_project_due_idx").on(t.projectId, t.dueDate, t.id),
    index("tasks_creator_id_idx").on(t.creatorId),
    index("tasks_tags_idx").using("gin", t.tags),
    index("tasks_search_idx").using("gin", t.search),
  ],
);
