import { useMutation, useQueryClient } from "@tanstack/react-query";
import { projectUpdateInput } from "@taskmaster/security/schemas";
import { useCallback } from "react";
import { Dialog } from "../../components/Dialog";
import { FormError } from "../../components/Field";
import { ProjectFields } from "../../components/ProjectFields";
import { type Project, useTRPC } from "../../lib/trpc";
import { useForm } from "../../lib/use-form";

interface Values extends Record<string, unknown> {
  name: string;
  color: string;
}

/** Rename and recolour a project: owners only (the server checks too). Validated with the shared `projectUpdateInput`. */
export function ProjectSettingsDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toInput = useCallback((v: Values) => ({ id: project.id, name: v.name, color: v.color }), [project.id]);
  const form = useForm<Values, unknown>({
    schema: projectUpdateInput,
    initial: { name: project.name, color: project.color },
    toInput,
  });
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.projects.get.queryKey({ id: saved.id }), saved);
        void queryClient.invalidateQueries(trpc.projects.list.pathFilter());
        void queryClient.invalidateQueries(trpc.dashboard.pathFilter());
        onClose();
      },
      onError: (err) => form.showServerError(err),
    }),
  );
  return (
    <Dialog title={`Edit “${project.name}”`} onClose={onClose}>
      <form
        ref={form.formRef}
        noValidate
        onSubmit={form.handleSubmit(() => update.mutate(projectUpdateInput.parse(toInput(form.values))))}
      >
        <ProjectFields form={form} />
        <FormError message={form.formError} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save project"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
