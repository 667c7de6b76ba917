/**
 * Input schemas shared by the API (authoritative validation) and the web app
 * (inline form validation). Browser-safe: imports zod only, no Node modules.
 * The server adds what needs Node (HTML sanitising) in `./index.ts`.
 */
import { z } from "zod";

export const TASK_STATUSES = ["todo", "in_progress", "done"] as const;
export const TASK_PRIORITIES = ["low", "medium", "high"] as const;
export const MEMBER_ROLES = ["viewer", "editor"] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];

// Any `<` directly followed by a letter, `/`, `!` or `?` starts markup a browser would
// parse as a tag or comment; a lone `<` as in "a < b" is harmless text.
const HTML_MARKUP = /<[a-z/!?]/i;
const NO_HTML_MESSAGE = "must not contain HTML tags";
// C0 controls except tab/newline/carriage return, DEL and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** A trimmed single-line text field of min..max characters with no HTML markup. */
function plainText(label: string, min: number, max: number) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(min, { error: min === 1 ? `${label} must not be empty` : `${label} must be at least ${min} characters` })
    .max(max, { error: `${label} must be at most ${max} characters` })
    .refine((s) => !HTML_MARKUP.test(s), { error: `${label} ${NO_HTML_MESSAGE}` })
    .refine((s) => !CONTROL_CHARS.test(s), { error: `${label} must not contain control characters` });
}

// ---------------------------------------------------------------- fields

export const email = z
  .string({ error: "Email is required" })
  .trim()
  .toLowerCase()
  .max(254, { error: "Email must be at most 254 characters" })
  .pipe(z.email({ error: "Enter a valid email address" }));

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  requireUpper: boolean;
  requireLower: boolean;
  requireDigit: boolean;
  requireSpecial: boolean;
}

export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  minLength: 8,
  maxLength: 128,
  requireUpper: true,
  requireLower: true,
  requireDigit: true,
  requireSpecial: true,
});

/**
 * A password schema for a policy (defaults: 8..128 chars, upper, lower, digit,
 * special). Every unmet rule is reported as its own issue, so a form can show
 * the whole checklist at once. Passwords are never trimmed.
 */
export function passwordSchema(policy: Partial<PasswordPolicy> = {}) {
  const p = { ...DEFAULT_PASSWORD_POLICY, ...policy };
  if (p.minLength < 1 || p.maxLength < p.minLength) {
    throw new Error(`Invalid password policy: minLength ${p.minLength}, maxLength ${p.maxLength}`);
  }
  return z.string({ error: "Password is required" }).superRefine((pw, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: "custom", message });
    // Count code points so an emoji counts as one character, as users expect.
    const length = [...pw].length;
    if (length < p.minLength) fail(`Password must be at least ${p.minLength} characters`);
    if (length > p.maxLength) fail(`Password must be at most ${p.maxLength} characters`);
    if (p.requireUpper && !/\p{Lu}/u.test(pw)) fail("Password must contain an uppercase letter");
    if (p.requireLower && !/\p{Ll}/u.test(pw)) fail("Password must contain a lowercase letter");
    if (p.requireDigit && !/\p{Nd}/u.test(pw)) fail("Password must contain a digit");
    if (p.requireSpecial && !/[^\p{L}\p{N}\s]/u.test(pw)) fail("Password must contain a special character");
  });
}

export const password = passwordSchema();

export const displayName = plainText("Display name", 1, 80);

export const uuid = z.uuid({ error: "Must be a valid id (UUID)" });

/** A calendar date `YYYY-MM-DD` that exists (rejects 2025-02-30). */
export const isoDate = z
  .string({ error: "Date is required" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Date must be in the format YYYY-MM-DD" })
  .refine(
    (s) => {
      const [y, m, d] = s.split("-").map(Number) as [number, number, number];
      const date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    },
    { error: "Date must be a real calendar date" },
  );

export const taskTitle = plainText("Title", 1, 200);

/** Raw description; the server sanitises its HTML (see `sanitizeDescription`). */
export const taskDescription = z
  .string({ error: "Description must be text" })
  .max(2000, { error: "Description must be at most 2000 characters" });

export const tag = plainText("Tag", 1, 50);

export const tags = z
  .array(tag, { error: "Tags must be a list" })
  .max(20, { error: "A task can have at most 20 tags" })
  .refine((list) => new Set(list).size === list.length, { error: "Tags must be unique" });

export const projectName = plainText("Project name", 1, 100);

export const color = z
  .string({ error: "Color is required" })
  .regex(/^#[0-9a-fA-F]{6}$/, { error: "Color must be a hex color like #1a2b3c" })
  .transform((c) => c.toLowerCase());

export const noteTitle = plainText("Note title", 1, 200);

export const noteBody = z
  .string({ error: "Note body must be text" })
  .max(100_000, { error: "Note body must be at most 100000 characters" });

export const plannedMinutes = z
  .number({ error: "Planned minutes must be a number" })
  .int({ error: "Planned minutes must be a whole number" })
  .min(1, { error: "Planned minutes must be at least 1" })
  .max(240, { error: "Planned minutes must be at most 240" });

export const totpCode = z
  .string({ error: "Code is required" })
  .trim()
  .regex(/^\d{6}$/, { error: "Code must be 6 digits" });

export const taskStatus = z.enum(TASK_STATUSES, { error: `Status must be one of ${TASK_STATUSES.join(", ")}` });
export const taskPriority = z.enum(TASK_PRIORITIES, {
  error: `Priority must be one of ${TASK_PRIORITIES.join(", ")}`,
});
export const memberRole = z.enum(MEMBER_ROLES, { error: `Role must be one of ${MEMBER_ROLES.join(", ")}` });

// ---------------------------------------------------------- entity inputs
// `.strict()` everywhere: an unknown key is a client bug or a probe (mass
// assignment of `ownerId`, `role`, ...), never something to ignore silently.

export const signUpInput = z.object({ email, password, displayName }).strict();

export const signInInput = z
  .object({
    email,
    // No policy on sign-in: old passwords predating a policy must still work.
    password: z.string({ error: "Password is required" }).min(1, { error: "Password is required" }).max(1024, {
      error: "Password is too long",
    }),
    totp: totpCode.optional(),
  })
  .strict();

export const changePasswordInput = z
  .object({
    currentPassword: z.string({ error: "Current password is required" }).min(1, {
      error: "Current password is required",
    }),
    newPassword: password,
  })
  .strict();

export const projectCreateInput = z.object({ name: projectName, color: color.optional() }).strict();

export const projectUpdateInput = z
  .object({ id: uuid, name: projectName.optional(), color: color.optional() })
  .strict();

export const memberAddInput = z.object({ projectId: uuid, email, role: memberRole }).strict();

export const taskCreateInput = z
  .object({
    projectId: uuid,
    title: taskTitle,
    description: taskDescription.optional(),
    status: taskStatus.optional(),
    priority: taskPriority.optional(),
    tags: tags.optional(),
    dueDate: isoDate.nullable().optional(),
  })
  .strict();

export const taskUpdateInput = z
  .object({
    id: uuid,
    title: taskTitle.optional(),
    description: taskDescription.optional(),
    status: taskStatus.optional(),
    priority: taskPriority.optional(),
    tags: tags.optional(),
    dueDate: isoDate.nullable().optional(),
  })
  .strict();

export const noteCreateInput = z
  .object({ title: noteTitle, body: noteBody, projectId: uuid.nullable().optional() })
  .strict();

export const noteUpdateInput = z
  .object({
    id: uuid,
    title: noteTitle.optional(),
    body: noteBody.optional(),
    projectId: uuid.nullable().optional(),
  })
  .strict();

export const focusStartInput = z.object({ plannedMinutes, taskId: uuid.nullable().optional() }).strict();

export type SignUpInput = z.infer<typeof signUpInput>;
export type SignInInput = z.infer<typeof signInInput>;
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
export type ProjectCreateInput = z.infer<typeof projectCreateInput>;
export type ProjectUpdateInput = z.infer<typeof projectUpdateInput>;
export type MemberAddInput = z.infer<typeof memberAddInput>;
export type TaskCreateInput = z.infer<typeof taskCreateInput>;
export type TaskUpdateInput = z.infer<typeof taskUpdateInput>;
export type NoteCreateInput = z.infer<typeof noteCreateInput>;
export type NoteUpdateInput = z.infer<typeof noteUpdateInput>;
export type FocusStartInput = z.infer<typeof focusStartInput>;

// ---------------------------------------------------------------- calendar

/** The longest range `tasks.calendar` answers: six full weeks, the most a month grid shows. */
export const CALENDAR_MAX_DAYS = 42;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** {@link isoDate} with messages that name the field, for inputs with two dates. */
function namedDate(field: string) {
  return z
    .string({ error: `${field} is required` })
    .refine((s) => isoDate.safeParse(s).success, { error: `${field} must be a real date in the format YYYY-MM-DD` });
}

/** An inclusive range of due dates, `from` ≤ `to`, covering at most {@link CALENDAR_MAX_DAYS} days. */
export const calendarRangeInput = z
  .object({ from: namedDate("from"), to: namedDate("to") })
  .strict()
  .superRefine((v, ctx) => {
    const days = dayNumber(v.to) - dayNumber(v.from) + 1;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "to must not be before from" });
    else if (days > CALENDAR_MAX_DAYS)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `The range from..to must cover at most ${CALENDAR_MAX_DAYS} days`,
      });
  });

export type CalendarRangeInput = z.infer<typeof calendarRangeInput>;
