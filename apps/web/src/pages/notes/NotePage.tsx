import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { noteCreateInput, noteUpdateInput } from "@taskmaster/security/schemas";
import { useCallback, useState } from "react";
import { Link, useLocation } from "wouter";
import { Field, FormError } from "../../components/Field";
import { QueryError } from "../../components/QueryError";
import { describeError } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { NEW_NOTE_ID, notePath, ROUTES } from "../../lib/routes";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";
import { usePageTitle } from "../../lib/use-page-title";

type Note = RouterOutputs["notes"]["get"];
interface Values extends Record<string, unknown> {
  title: string;
  body: string;
  projectId: string;
}

function NoteForm({ note }: { note: Note | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const projects = useQuery(trpc.projects.list.queryOptions({}));
  const toInput = useCallback(
    (v: Values) => ({
      ...(note ? { id: note.id } : {}),
      title: v.title,
      body: v.body,
      projectId: v.projectId === "" ? null : v.projectId,
    }),
    [note],
  );
  const form = useForm<Values, unknown>({
    schema: note ? noteUpdateInput : noteCreateInput,
    initial: { title: note?.title ?? "", body: note?.body ?? "", projectId: note?.projectId ?? "" },
    toInput,
  });
  const onSaved = (saved: Note) => {
    void queryClient.invalidateQueries(trpc.notes.list.pathFilter());
    queryClient.setQueryData(trpc.notes.get.queryKey({ id: saved.id }), saved);
    setSavedAt(saved.updatedAt);
    if (!note) navigate(notePath(saved.id), { replace: true });
  };
  const create = useMutation(
    trpc.notes.create.mutationOptions({ onSuccess: onSaved, onError: (e) => form.showServerError(e) }),
  );
  const update = useMutation(
    trpc.notes.update.mutationOptions({ onSuccess: onSaved, onError: (e) => form.showServerError(e) }),
  );
  const remove = useMutation(
    trpc.notes.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.notes.list.pathFilter());
        navigate(ROUTES.notes);
      },
    }),
  );
  const submit = form.handleSubmit(() => {
    const input = toInput(form.values);
    if (note) update.mutate(noteUpdateInput.parse(input));
    else create.mutate(noteCreateInput.parse(input));
  });
  const pending = create.isPending || update.isPending;

  return (
    <form ref={form.formRef} noValidate onSubmit={submit} className="note-form">
      <Field label="Title" name="title" errors={form.errorsFor("title")}>
        {(p) => <input {...p} {...form.bind("title")} />}
      </Field>
      <Field label="Project (optional)" name="projectId" errors={form.errorsFor("projectId")}>
        {(p) => (
          <select {...p} value={form.values.projectId} onChange={(e) => form.set("projectId", e.target.value)}>
            <option value="">No project</option>
            {projects.data?.map((proj) => (
              <option key={proj.id} value={proj.id}>
                {proj.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Note" name="body" errors={form.errorsFor("body")}>
        {(p) => <textarea {...p} rows={14} {...form.bind("body")} />}
      </Field>
      <FormError message={form.formError ?? (remove.error ? describeError(remove.error) : null)} />
      <p className="muted" role="status">
        {savedAt ? `Saved ${formatDateTime(savedAt)}` : note ? `Last updated ${formatDateTime(note.updatedAt)}` : ""}
      </p>
      <div className="dialog-actions">
        {note && (
          <button
            type="button"
            className="button danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate({ id: note.id })}
          >
            Delete note
          </button>
        )}
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? "Saving…" : "Save note"}
        </button>
      </div>
    </form>
  );
}

export function NotePage({ noteId }: { noteId: string }) {
  const trpc = useTRPC();
  const isNew = noteId === NEW_NOTE_ID;
  const note = useQuery({ ...trpc.notes.get.queryOptions({ id: noteId }), enabled: !isNew });
  const headingRef = usePageTitle(isNew ? "New note" : (note.data?.title ?? "Note"));
  return (
    <>
      <p>
        <Link href={ROUTES.notes}>← All notes</Link>
      </p>
      <h1 ref={headingRef} tabIndex={-1}>
        {isNew ? "New note" : "Edit note"}
      </h1>
      {note.isError && <QueryError error={note.error} />}
      {isNew && <NoteForm note={null} />}
      {!isNew && note.isPending && <p className="loading">Loading note…</p>}
      {!isNew && note.data && <NoteForm key={note.data.id} note={note.data} />}
    </>
  );
}
