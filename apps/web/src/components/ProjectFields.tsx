import type { useForm } from "../lib/use-form";
import { Field } from "./Field";

type ProjectValues = { name: string; color: string };

/** The part of a project form these fields use; both the create and the edit form have it. */
type ProjectForm = Pick<ReturnType<typeof useForm<ProjectValues, unknown>>, "bind" | "errorsFor" | "set" | "values">;

/** A project's name and colour inputs, with their inline errors: shared by the new-project form and the edit dialog. */
export function ProjectFields({ form }: { form: ProjectForm }) {
  return (
    <>
      <Field label="Project name" name="name" errors={form.errorsFor("name")}>
        {(p) => <input {...p} {...form.bind("name")} />}
      </Field>
      <Field label="Colour" name="color" errors={form.errorsFor("color")}>
        {(p) => (
          <input {...p} type="color" value={form.values.color} onChange={(e) => form.set("color", e.target.value)} />
        )}
      </Field>
    </>
  );
}
