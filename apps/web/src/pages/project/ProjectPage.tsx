import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TASK_STATUSES, type TaskStatus } from "@taskmaster/security/schemas";
import { lazy, Suspense, useCallback, useMemo, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { ColorDot } from "../../components/ColorDot";
import { QueryError } from "../../components/QueryError";
import { describeError } from "../../lib/errors";
import { ROUTES } from "../../lib/routes";
import { type RouterOutputs, type Task, useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";
import { FilterBar } from "./FilterBar";
import { parseFilters, STATUS_LABELS, serializeFilters, type TaskFilters, toListInput } from "./filters";
import { ShareDialog } from "./ShareDialog";
import { TaskEditor } from "./TaskEditor";
import { TaskList } from "./TaskList";

// Owners only, and only on demand: its own chunk.
const ProjectSettingsDialog = lazy(() =>
  import("./ProjectSettingsDialog").then((m) => ({ default: m.ProjectSettingsDialog })),
);

/** The server's maximum page: fewer round trips while scrolling through thousands of tasks. */
const PAGE_SIZE = 100;

type TaskPage = RouterOutputs["tasks"]["list"];

/** Replaces one task in every cached page of every list, so a change shows at once without refetching 100 pages. */
export function patchTaskPages(
  data: InfiniteData<TaskPage, unknown> | undefined,
  task: Task,
): InfiniteData<TaskPage, unknown> | undefined {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((page) =>
      page.items.some((t) => t.id === task.id)
        ? { ...page, items: page.items.map((t) => (t.id === task.id ? task : t)) }
        : page,
    ),
  };
}

/** Moves one task to `toIndex` across the cached pages, keeping each page's size: the optimistic half of a reorder. */
export function moveInPages<D extends InfiniteData<TaskPage, unknown>>(
  data: D | undefined,
  taskId: string,
  toIndex: number,
): D | undefined {
  if (!data) return data;
  const all = data.pages.flatMap((p) => p.items);
  const from = all.findIndex((t) => t.id === taskId);
  const [task] = from >= 0 ? all.splice(from, 1) : [];
  if (!task) return data;
  all.splice(Math.max(0, Math.min(toIndex, all.length)), 0, task);
  let offset = 0;
  return {
    ...data,
    pages: data.pages.map((page) => {
      const items = all.slice(offset, offset + page.items.length);
      offset += page.items.length;
      return { ...page, items };
    }),
  } as D;
}

type EditorState = { mode: "closed" } | { mode: "new" } | { mode: "edit"; task: Task };

export function ProjectPage({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const search = useSearch();
  const [location, navigate] = useLocation();
  const filters = useMemo(() => parseFilters(search), [search]);
  const [editor, setEditor] = useState<EditorState>({ mode: "closed" });
  const [sharing, setSharing] = useState(false);
  const [editingProject, setEditingProject] = useState(false);

  const project = useQuery(trpc.projects.get.queryOptions({ id: projectId }));
  const headingRef = usePageTitle(project.data?.name ?? "Project");
  const listInput = toListInput(projectId, filters, PAGE_SIZE);
  const tasks = useInfiniteQuery(
    trpc.tasks.list.infiniteQueryOptions(listInput, {
      initialCursor: null,
      getNextPageParam: (last) => last.nextCursor,
      // Keep showing the old rows while a new filter loads, instead of flashing an empty list.
      placeholderData: (previous) => previous,
    }),
  );
  const allTasks = useMemo(() => tasks.data?.pages.flatMap((p) => p.items) ?? [], [tasks.data]);

  const setFilters = useCallback(
    (next: TaskFilters) => {
      const qs = serializeFilters(next);
      navigate(qs ? `${location}?${qs}` : location, { replace: true });
    },
    [location, navigate],
  );

  const taskListFilter = trpc.tasks.list.pathFilter();
  const applyTask = (task: Task) => {
    queryClient.setQueriesData<InfiniteData<TaskPage, unknown>>(taskListFilter, (d) => patchTaskPages(d, task));
    // Filters and counts may no longer match: refetch on next visit, not now.
    void queryClient.invalidateQueries({ ...taskListFilter, refetchType: "none" });
    void queryClient.invalidateQueries(trpc.dashboard.pathFilter());
    void queryClient.invalidateQueries(trpc.projects.pathFilter());
  };
  const toggle = useMutation(
    trpc.tasks.update.mutationOptions({
      onSuccess: applyTask,
    }),
  );

  // Moves run one at a time (a shared scope), so quick repeated Alt+arrow presses reach the server in order.
  const [announcement, setAnnouncement] = useState("");
  const move = useMutation(
    trpc.tasks.move.mutationOptions({
      scope: { id: `task-move-${projectId}` },
      // The row is already in place: take the server's position, and let other sorts/filters refetch when next shown.
      onSuccess: (task) => {
        queryClient.setQueriesData<InfiniteData<TaskPage, unknown>>(taskListFilter, (d) => patchTaskPages(d, task));
        void queryClient.invalidateQueries({ ...taskListFilter, refetchType: "none" });
      },
      onError: () => {
        setAnnouncement("The task could not be moved.");
        void queryClient.invalidateQueries(taskListFilter);
      },
    }),
  );
  // Bulk status: the picked tasks, cleared whenever the filters change (hidden tasks must not be changed by surprise).
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const [pickedFor, setPickedFor] = useState(search);
  if (pickedFor !== search) {
    setPickedFor(search);
    setPicked(new Set());
  }
  const [bulkStatus, setBulkStatus] = useState<TaskStatus>("done");
  const [bulkMessage, setBulkMessage] = useState("");
  const bulk = useMutation(
    trpc.tasks.bulkStatus.mutationOptions({
      onSuccess: ({ updated }, input) => {
        setBulkMessage(
          `Updated ${updated} of ${input.ids.length} ${input.ids.length === 1 ? "task" : "tasks"} to “${STATUS_LABELS[input.status]}”.`,
        );
        setPicked(new Set());
        void queryClient.invalidateQueries(taskListFilter);
        void queryClient.invalidateQueries(trpc.dashboard.pathFilter());
        void queryClient.invalidateQueries(trpc.projects.pathFilter());
      },
    }),
  );

  const moveTask = (task: Task, toIndex: number) => {
    const rest = allTasks.filter((t) => t.id !== task.id);
    if (toIndex < 0 || toIndex > rest.length || rest.length === allTasks.length) return;
    const afterId = toIndex === 0 ? null : (rest[toIndex - 1]?.id ?? null);
    queryClient.setQueryData(trpc.tasks.list.infiniteQueryKey(listInput), (d) => moveInPages(d, task.id, toIndex));
    move.mutate({ id: task.id, afterId });
    setAnnouncement(
      `Moved “${task.title}” to position ${toIndex + 1} of ${allTasks.length}${tasks.hasNextPage ? "+" : ""}.`,
    );
  };

  if (project.isError) {
    return (
      <>
        <h1 ref={headingRef} tabIndex={-1}>
          Project
        </h1>
        <QueryError error={project.error} />
        <p>
          <Link href={ROUTES.projects}>Back to projects</Link>
        </p>
      </>
    );
  }

  const p = project.data;
  const readOnly = p?.role === "viewer";
  // Manual order only makes sense in manual (position) order, and only for those who may write.
  const canReorder = Boolean(p) && !readOnly && filters.sort === "position";
  const editingIndex = editor.mode === "edit" ? allTasks.findIndex((t) => t.id === editor.task.id) : -1;
  return (
    <>
      <div className="page-header">
        <h1 ref={headingRef} tabIndex={-1}>
          {p && <ColorDot color={p.color} />} {p?.name ?? "Loading project…"}
        </h1>
        {/* Rendered before the project loads, with its height reserved, so the buttons arriving don't push the list down. */}
        <div className="row-actions header-actions">
          {p && readOnly && <span className="badge">View only</span>}
          {p?.role === "owner" && (
            <button type="button" className="button" onClick={() => setEditingProject(true)}>
              Edit project
            </button>
          )}
          {p && (
            <button type="button" className="button" onClick={() => setSharing(true)}>
              {p.role === "owner" ? "Share" : "Members"}
            </button>
          )}
          {p && !readOnly && (
            <button type="button" className="button primary" onClick={() => setEditor({ mode: "new" })}>
              New task
            </button>
          )}
        </div>
      </div>
      <FilterBar filters={filters} onChange={setFilters} />
      {tasks.isError && <QueryError error={tasks.error} retry={() => void tasks.refetch()} />}
      {(toggle.error ?? move.error) && (
        <p className="form-error" role="alert">
          {describeError(toggle.error ?? move.error)}
        </p>
      )}
      {/* Shown while the project loads too (most users can write), so the list below does not jump when it arrives. */}
      {!readOnly && (
        <fieldset className="plain toolbar bulk-bar">
          <legend className="visually-hidden">Change the status of selected tasks</legend>
          <span>
            {picked.size} {picked.size === 1 ? "task" : "tasks"} selected
          </span>
          <div className="field">
            <label htmlFor="bulk-status">New status</label>
            <select id="bulk-status" value={bulkStatus} onChange={(e) => setBulkStatus(e.target.value as TaskStatus)}>
              {TASK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          {/* aria-disabled rather than disabled: the buttons stay focusable after the selection empties. */}
          <button
            type="button"
            className="button primary"
            aria-disabled={picked.size === 0 || bulk.isPending}
            onClick={() => {
              if (picked.size === 0 || bulk.isPending) return;
              setBulkMessage("");
              bulk.mutate({ ids: [...picked], status: bulkStatus });
            }}
          >
            Set status
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={picked.size === 0}
            onClick={() => setPicked(new Set())}
          >
            Clear selection
          </button>
          <p className="muted" role="status">
            {bulkMessage}
          </p>
        </fieldset>
      )}
      {bulk.error && (
        <p className="form-error" role="alert">
          {describeError(bulk.error)}
        </p>
      )}
      {!readOnly && (
        <p id="task-list-keys" className="muted hint">
          Shift+Space selects the active task, Shift+Up and Shift+Down extend the selection
          {canReorder ? "; Alt+Up and Alt+Down move the active task." : "."}
        </p>
      )}
      {/* Inside the dialog while it is open: the rest of the page is inert then. */}
      <p className="visually-hidden" aria-live="polite">
        {editor.mode === "closed" ? announcement : ""}
      </p>
      <p className="muted" aria-live="polite">
        {tasks.isPending
          ? "Loading tasks…"
          : `${allTasks.length}${tasks.hasNextPage ? "+" : ""} ${allTasks.length === 1 ? "task" : "tasks"}`}
      </p>
      <TaskList
        label={p ? `Tasks in ${p.name}` : "Tasks"}
        tasks={allTasks}
        hasNextPage={tasks.hasNextPage}
        isFetchingNextPage={tasks.isFetchingNextPage}
        fetchNextPage={() => void tasks.fetchNextPage()}
        onMove={canReorder ? moveTask : undefined}
        describedBy={!readOnly ? "task-list-keys" : undefined}
        selected={p && !readOnly ? picked : undefined}
        onSelectedChange={p && !readOnly ? setPicked : undefined}
        onOpen={(task) => setEditor({ mode: "edit", task })}
        onToggleDone={
          readOnly
            ? undefined
            : (task) => toggle.mutate({ id: task.id, status: task.status === "done" ? "todo" : "done" })
        }
      />
      {editor.mode !== "closed" && (
        <TaskEditor
          projectId={projectId}
          task={editor.mode === "edit" ? editor.task : null}
          readOnly={readOnly}
          reorder={
            canReorder && editor.mode === "edit" && editingIndex >= 0
              ? {
                  canMoveUp: editingIndex > 0,
                  canMoveDown: editingIndex < allTasks.length - 1,
                  move: (step) => moveTask(editor.task, editingIndex + step),
                  announcement,
                }
              : undefined
          }
          onClose={() => setEditor({ mode: "closed" })}
          onSaved={(task) => {
            if (editor.mode === "new") void queryClient.invalidateQueries(taskListFilter);
            else applyTask(task);
            setEditor({ mode: "closed" });
          }}
          onDeleted={() => {
            void queryClient.invalidateQueries(taskListFilter);
            setEditor({ mode: "closed" });
          }}
        />
      )}
      {sharing && p && <ShareDialog project={p} onClose={() => setSharing(false)} />}
      {editingProject && p && (
        <Suspense fallback={null}>
          <ProjectSettingsDialog project={p} onClose={() => setEditingProject(false)} />
        </Suspense>
      )}
    </>
  );
}
