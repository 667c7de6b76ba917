import { useMutation } from "@tanstack/react-query";
import {
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskPriority,
  type TaskStatus,
  taskCreateInput,
  taskUpdateInput,
} from "@taskmaster/security/schemas";
import { useCallback, useState } from "react";
import { Dialog } from "../../components/Dialog";
import { Field, FormError } from "../../components/Field";
import { describeError } from "../../lib/errors";
import { type Task, useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";
import { PRIORITY_LABELS, STATUS_LABELS } from "./filters";

interface Values extends Record<string, unknown> {
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  tags: string;
  dueDate: string;
}

/** "design, ui ,, ux" → ["design", "ui", "ux"]: the tags field is one comma-separated text box. */
export function parseTags(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function valuesOf(task: Task | null): Values {
  return {
    title: task?.title ?? "",
    description: task?.description ?? "",
    status: task?.status ?? "todo",
    priority: task?.priority ?? "medium",
    tags: task?.tags.join(", ") ?? "",
    dueDate: task?.dueDate ?? "",
  };
}

interface TaskEditorProps {
  projectId: string;
  /** null: a new task. */
  task: Task | null;
  readOnly: boolean;
  onClose: () => void;
  onSaved: (task: Task) => void;
  onDeleted: (task: Task) => void;
  /** Move up/down buttons: only for writers while the list is in manual order. */
  reorder?: ReorderControls | undefined;
}

export interface ReorderControls {
  canMoveUp: boolean;
  canMoveDown: boolean;
  move: (step: -1 | 1) => void;
  /** What the last move did, read out from inside the dialog (the page behind it is inert). */
  announcement: string;
}

export function TaskEditor({ projectId, task, readOnly, onClose, onSaved, onDeleted, reorder }: TaskEditorProps) {
  const trpc = useTRPC();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const toInput = useCallback(
    (v: Values) => ({
      ...(task ? { id: task.id } : { projectId }),
      title: v.title,
      description: v.description,
      status: v.status,
      priority: v.priority,
      tags: parseTags(v.tags),
      dueDate: v.dueDate === "" ? null : v.dueDate,
    }),
    [task, projectId],
  );
  // Create and update have different shapes (projectId vs id); both come from the shared schemas.
  const form = useForm<Values, unknown>({
    schema: task ? taskUpdateInput : taskCreateInput,
    initial: valuesOf(task),
    toInput,
  });
  const mutationHandlers = {
    onSuccess: (saved: Task) => onSaved(saved),
    onError: (err: unknown) => form.showServerError(err),
  };
  const create = useMutation(trpc.tasks.create.mutationOptions(mutationHandlers));
  const update = useMutation(trpc.tasks.update.mutationOptions(mutationHandlers));
  const remove = useMutation(
    trpc.tasks.delete.mutationOptions({
      onSuccess: () => task && onDeleted(task),
    }),
  );
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit(() => {
    const input = toInput(form.values);
    if (task) update.mutate(taskUpdateInput.parse(input));
    else create.mutate(taskCreateInput.parse(input));
  });

  const title = readOnly ? "Task details" : task ? "Edit task" : "New task";
  return (
    <Dialog title={title} onClose={onClose} className="wide">
      {readOnly && <p className="notice">You have view-only access to this project.</p>}
      <form ref={form.formRef} noValidate onSubmit={submit}>
        <fieldset disabled={readOnly} className="plain">
          <Field label="Title" name="title" errors={form.errorsFor("title")}>
            {(p) => <input {...p} {...form.bind("title")} />}
          </Field>
          <Field label="Description" name="description" errors={form.errorsFor("description")}>
            {(p) => <textarea {...p} rows={4} {...form.bind("description")} />}
          </Field>
          <div className="field-row">
            <Field label="Status" name="status" errors={form.errorsFor("status")}>
              {(p) => (
                <select
                  {...p}
                  value={form.values.status}
                  onChange={(e) => form.set("status", e.target.value as TaskStatus)}
                >
                  {TASK_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Priority" name="priority" errors={form.errorsFor("priority")}>
              {(p) => (
                <select
                  {...p}
                  value={form.values.priority}
                  onChange={(e) => form.set("priority", e.target.value as TaskPriority)}
                >
                  {TASK_PRIORITIES.map((s) => (
                    <option key={s} value={s}>
                      {PRIORITY_LABELS[s]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Due date" name="dueDate" errors={form.errorsFor("dueDate")}>
              {(p) => <input {...p} type="date" {...form.bind("dueDate")} />}
            </Field>
          </div>
          <Field label="Tags" name="tags" hint="Separate tags with commas." errors={form.errorsFor("tags")}>
            {(p) => <input {...p} {...form.bind("tags")} />}
          </Field>
        </fieldset>
        {reorder && (
          <div className="row-actions reorder-actions">
            <span className="muted">Order in the list:</span>
            {/* aria-disabled rather than disabled, so focus stays on the button at the top or bottom. */}
            <button
              type="button"
              className="button"
              aria-disabled={!reorder.canMoveUp}
              onClick={() => reorder.canMoveUp && reorder.move(-1)}
            >
              Move up
            </button>
            <button
              type="button"
              className="button"
              aria-disabled={!reorder.canMoveDown}
              onClick={() => reorder.canMoveDown && reorder.move(1)}
            >
              Move down
            </button>
            <span className="visually-hidden" aria-live="polite">
              {reorder.announcement}
            </span>
          </div>
        )}
        <FormError message={form.formError ?? (remove.error ? describeError(remove.error) : null)} />
        <div className="dialog-actions">
          {task && !readOnly && !confirmDelete && (
            <button type="button" className="button danger" onClick={() => setConfirmDelete(true)}>
              Delete task
            </button>
          )}
          {task && confirmDelete && (
            <button
              type="button"
              className="button danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ id: task.id })}
            >
              Confirm delete
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            {readOnly ? "Close" : "Cancel"}
          </button>
          {!readOnly && (
            <button type="submit" className="button primary" disabled={pending}>
              {pending ? "Saving…" : task ? "Save changes" : "Add task"}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
