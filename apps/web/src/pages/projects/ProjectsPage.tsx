import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { projectCreateInput } from "@taskmaster/security/schemas";
import { useState } from "react";
import { Link, useLocation } from "wouter";
import { ColorDot } from "../../components/ColorDot";
import { Dialog } from "../../components/Dialog";
import { FormError } from "../../components/Field";
import { ProjectFields } from "../../components/ProjectFields";
import { QueryError } from "../../components/QueryError";
import { describeError } from "../../lib/errors";
import { projectPath } from "../../lib/routes";
import { type Project, useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";
import { usePageTitle } from "../../lib/use-page-title";

const initial = { name: "", color: "#2563eb" };
const identity = (v: typeof initial) => v;

function NewProjectForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const form = useForm({ schema: projectCreateInput, initial, toInput: identity });
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: (project) => {
        void queryClient.invalidateQueries(trpc.projects.list.pathFilter());
        navigate(projectPath(project.id));
      },
      onError: (err) => form.showServerError(err),
    }),
  );
  return (
    <form
      ref={form.formRef}
      className="inline-form"
      noValidate
      aria-label="New project"
      onSubmit={form.handleSubmit((data) => create.mutate(data))}
    >
      <ProjectFields form={form} />
      <button type="submit" className="button primary" disabled={create.isPending}>
        Create project
      </button>
      <FormError message={form.formError} />
    </form>
  );
}

function ProjectRow({ project, onDelete }: { project: Project; onDelete: (p: Project) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const archive = useMutation(
    trpc.projects.archive.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.projects.pathFilter()),
    }),
  );
  const open = project.taskCounts.todo + project.taskCounts.in_progress;
  return (
    <li className="project-row">
      <ColorDot color={project.color} />
      <div className="project-main">
        <Link href={projectPath(project.id)} className="project-name">
          {project.name}
        </Link>
        <span className="muted">
          {open} open · {project.taskCounts.done} done
          {project.role !== "owner" && ` · shared with you (${project.role})`}
          {project.archived && " · archived"}
        </span>
      </div>
      {project.role === "owner" && (
        <div className="row-actions">
          <button
            type="button"
            className="button"
            disabled={archive.isPending}
            onClick={() => archive.mutate({ id: project.id, archived: !project.archived })}
          >
            {project.archived ? "Unarchive" : "Archive"}
            <span className="visually-hidden"> {project.name}</span>
          </button>
          <button type="button" className="button danger" onClick={() => onDelete(project)}>
            Delete<span className="visually-hidden"> {project.name}</span>
          </button>
        </div>
      )}
      {archive.error && (
        <p className="form-error" role="alert">
          {describeError(archive.error)}
        </p>
      )}
    </li>
  );
}

function DeleteProjectDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.projects.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.projects.pathFilter());
        onClose();
      },
    }),
  );
  return (
    <Dialog title={`Delete “${project.name}”?`} onClose={onClose}>
      <p>This deletes the project and all its tasks for everyone it is shared with. It cannot be undone.</p>
      <FormError message={remove.error ? describeError(remove.error) : null} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ id: project.id })}
        >
          Delete project
        </button>
      </div>
    </Dialog>
  );
}

export function ProjectsPage() {
  const trpc = useTRPC();
  const headingRef = usePageTitle("Projects");
  const [includeArchived, setIncludeArchived] = useState(false);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const projects = useQuery(trpc.projects.list.queryOptions({ includeArchived }));

  return (
    <>
      <h1 ref={headingRef} tabIndex={-1}>
        Projects
      </h1>
      <NewProjectForm />
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          Show archived projects
        </label>
      </div>
      {projects.isError && <QueryError error={projects.error} retry={() => void projects.refetch()} />}
      {projects.isPending && <p className="loading">Loading projects…</p>}
      {projects.data?.length === 0 && <p>No projects yet. Create the first one above.</p>}
      {projects.data && projects.data.length > 0 && (
        <ul className="project-list" aria-label="Projects">
          {projects.data.map((p) => (
            <ProjectRow key={p.id} project={p} onDelete={setDeleting} />
          ))}
        </ul>
      )}
      {deleting && <DeleteProjectDialog project={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}
