import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MEMBER_ROLES, type MemberRole, memberAddInput } from "@taskmaster/security/schemas";
import { useCallback } from "react";
import { Dialog } from "../../components/Dialog";
import { Field, FormError } from "../../components/Field";
import { QueryError } from "../../components/QueryError";
import { describeError } from "../../lib/errors";
import { type Member, type Project, useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";

const ROLE_LABELS: Record<Member["role"], string> = { owner: "Owner", editor: "Can edit", viewer: "Can view" };

function AddMemberForm({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toInput = useCallback((v: { email: string; role: MemberRole }) => ({ projectId, ...v }), [projectId]);
  const form = useForm({ schema: memberAddInput, initial: { email: "", role: "viewer" as MemberRole }, toInput });
  const add = useMutation(
    trpc.projects.members.add.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.projects.members.list.queryFilter({ projectId }));
        form.reset({ email: "", role: form.values.role });
      },
      onError: (err) => form.showServerError(err),
    }),
  );
  return (
    <form ref={form.formRef} noValidate className="inline-form" onSubmit={form.handleSubmit((d) => add.mutate(d))}>
      <Field label="Email of the person to add" name="email" errors={form.errorsFor("email")}>
        {(p) => <input {...p} type="email" {...form.bind("email")} />}
      </Field>
      <Field label="Access" name="role" errors={form.errorsFor("role")}>
        {(p) => (
          <select {...p} value={form.values.role} onChange={(e) => form.set("role", e.target.value as MemberRole)}>
            {MEMBER_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="button primary" disabled={add.isPending}>
        Share
      </button>
      <FormError message={form.formError} />
    </form>
  );
}

/** Who can see the project. Only the owner manages members; everyone else sees the list read-only. */
export function ShareDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isOwner = project.role === "owner";
  const members = useQuery(trpc.projects.members.list.queryOptions({ projectId: project.id }));
  const remove = useMutation(
    trpc.projects.members.remove.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.projects.members.list.queryFilter({ projectId: project.id })),
    }),
  );
  return (
    <Dialog
      title={isOwner ? `Share “${project.name}”` : `Members of “${project.name}”`}
      onClose={onClose}
      className="wide"
    >
      {isOwner && <AddMemberForm projectId={project.id} />}
      {members.isError && <QueryError error={members.error} retry={() => void members.refetch()} />}
      {members.isPending && <p className="loading">Loading members…</p>}
      {members.data && (
        <ul className="member-list" aria-label="Members">
          {members.data.map((m) => (
            <li key={m.userId}>
              <span>
                <strong>{m.displayName}</strong> <span className="muted">{m.email}</span>
              </span>
              <span className="role">{ROLE_LABELS[m.role]}</span>
              {isOwner && m.role !== "owner" && (
                <button
                  type="button"
                  className="button danger"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ projectId: project.id, userId: m.userId })}
                >
                  Remove<span className="visually-hidden"> {m.displayName}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError message={remove.error ? describeError(remove.error) : null} />
    </Dialog>
  );
}
