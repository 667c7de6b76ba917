import { pgEnum } from "drizzle-orm/pg-core";

export const taskStatus = pgEnum("task_status", ["todo", "in_progress", "done"]);
export const taskPriority = pgEnum("task_priority", ["low", "medium", "high"]);
export const memberRole = pgEnum("member_role", ["viewer", "editor"]);
export const focusState = pgEnum("focus_state", ["running", "completed", "cancelled"]);

export type TaskStatus = (typeof taskStatus.enumValues)[number];
export type TaskPriority = (typeof taskPriority.enumValues)[number];
export type MemberRole = (typeof memberRole.enumValues)[number];
export type FocusState = (typeof focusState.enumValues)[number];
