import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from "@taskmaster/security/schemas";

export const SORTS = ["position", "created", "due", "priority"] as const;
export type TaskSort = (typeof SORTS)[number];

/** The task list's filters, as they live in the URL so a filtered view can be bookmarked and shared. */
export interface TaskFilters {
  search: string;
  status: TaskStatus[];
  priority: TaskPriority[];
  tag: string;
  dueFrom: string;
  dueTo: string;
  sort: TaskSort;
}

export const EMPTY_FILTERS: TaskFilters = {
  search: "",
  status: [],
  priority: [],
  tag: "",
  dueFrom: "",
  dueTo: "",
  sort: "position",
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(","));
  // Keep the canonical order so the same filter always yields the same query key.
  return allowed.filter((v) => wanted.has(v));
}

/** Reads filters from a query string, dropping anything malformed instead of sending it to the server. */
export function parseFilters(search: string): TaskFilters {
  const p = new URLSearchParams(search);
  const sort = p.get("sort");
  const dueFrom = p.get("dueFrom") ?? "";
  const dueTo = p.get("dueTo") ?? "";
  return {
    search: p.get("q") ?? "",
    status: listOf(p.get("status"), TASK_STATUSES),
    priority: listOf(p.get("priority"), TASK_PRIORITIES),
    tag: p.get("tag") ?? "",
    dueFrom: DATE.test(dueFrom) ? dueFrom : "",
    dueTo: DATE.test(dueTo) ? dueTo : "",
    sort: SORTS.includes(sort as TaskSort) ? (sort as TaskSort) : "position",
  };
}

/** The query string for filters; defaults are left out so a plain project URL stays plain. */
export function serializeFilters(f: TaskFilters): string {
  const p = new URLSearchParams();
  if (f.search.trim()) p.set("q", f.search);
  if (f.status.length) p.set("status", f.status.join(","));
  if (f.priority.length) p.set("priority", f.priority.join(","));
  if (f.tag.trim()) p.set("tag", f.tag.trim());
  if (f.dueFrom) p.set("dueFrom", f.dueFrom);
  if (f.dueTo) p.set("dueTo", f.dueTo);
  if (f.sort !== "position") p.set("sort", f.sort);
  return p.toString();
}

/** The `tasks.list` input for filters: only the constraints that are set. */
export function toListInput(projectId: string, f: TaskFilters, limit: number) {
  return {
    projectId,
    limit,
    sort: f.sort,
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.priority.length ? { priority: f.priority } : {}),
    ...(f.tag.trim() ? { tag: f.tag.trim() } : {}),
    ...(f.dueFrom ? { dueFrom: f.dueFrom } : {}),
    ...(f.dueTo ? { dueTo: f.dueTo } : {}),
  };
}

export const STATUS_LABELS: Record<TaskStatus, string> = { todo: "To do", in_progress: "In progress", done: "Done" };
export const PRIORITY_LABELS: Record<TaskPriority, string> = { low: "Low", medium: "Medium", high: "High" };
