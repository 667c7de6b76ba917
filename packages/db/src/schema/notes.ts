import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, timestamps } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export const notes = pgTable(
  "notes",
  {
    id: id(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    /** AES-256-GCM ciphertext (security package, AAD notes/body/<id>); never plaintext. */
    body: text("body").notNull(),
    ...timestamps(),
  },
  (t) => [
    index("notes_owner_updated_idx").on(t.ownerId, t.updatedAt.desc(), t.id),
    index("notes_project_id_idx").on(t.projectId),
  ],
);
