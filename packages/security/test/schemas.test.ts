import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import {
  color,
  email,
  focusStartInput,
  isoDate,
  memberAddInput,
  noteCreateInput,
  passwordSchema,
  plannedMinutes,
  projectCreateInput,
  signInInput,
  signUpInput,
  TASK_STATUSES,
  tags,
  taskCreateInput,
  taskTitle,
  taskUpdateInput,
  totpCode,
  uuid,
} from "../src/validation/schemas";

const PROJECT = "6f1c1b0e-8a4b-4c1e-9d5a-1f2e3d4c5b6a";

/** Messages of a failed parse keyed by dotted path, to assert field errors. */
function fieldErrors(schema: z.ZodType, input: unknown): Record<string, string[]> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected a validation failure for ${JSON.stringify(input)}`);
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".");
    out[key] ??= [];
    out[key].push(issue.message);
  }
  return out;
}

describe("field schemas", () => {
  test("email is trimmed and lowercased, invalid or overlong addresses rejected", () => {
    expect(email.parse("  Ada@Example.COM ")).toBe("ada@example.com");
    expect(email.safeParse("not-an-email").success).toBe(false);
    expect(email.safeParse(`${"a".repeat(250)}@x.io`).success).toBe(false);
  });

  test("default password policy reports every unmet rule with its own message", () => {
    expect(fieldErrors(passwordSchema(), "abc")[""]).toEqual([
      "Password must be at least 8 characters",
      "Password must contain an uppercase letter",
      "Password must contain a digit",
      "Password must contain a special character",
    ]);
    expect(passwordSchema().parse("Str0ng!pass")).toBe("Str0ng!pass");
    expect(fieldErrors(passwordSchema(), `Aa1!${"x".repeat(125)}`)[""]).toEqual([
      "Password must be at most 128 characters",
    ]);
  });

  test("password policy is configurable", () => {
    const relaxed = passwordSchema({ minLength: 12, requireSpecial: false, requireUpper: false });
    expect(relaxed.safeParse("lowercase123").success).toBe(true);
    expect(relaxed.safeParse("short1").success).toBe(false);
    expect(() => passwordSchema({ minLength: 10, maxLength: 5 })).toThrow(/Invalid password policy/);
  });

  test("task title is trimmed, 1-200 chars and refuses HTML markup but allows a lone '<'", () => {
    expect(taskTitle.parse("  Buy milk  ")).toBe("Buy milk");
    expect(taskTitle.parse("a < b and c > d")).toBe("a < b and c > d");
    expect(taskTitle.safeParse("   ").success).toBe(false);
    expect(taskTitle.safeParse("x".repeat(201)).success).toBe(false);
    for (const payload of ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "hi </title><svg/onload=1>"]) {
      expect(fieldErrors(taskTitle, payload)[""]).toContain("Title must not contain HTML tags");
    }
  });

  test("tags: each 1-50 chars without HTML, at most 20, unique", () => {
    expect(tags.parse([" work ", "home"])).toEqual(["work", "home"]);
    expect(tags.safeParse(["x".repeat(51)]).success).toBe(false);
    expect(tags.safeParse(Array.from({ length: 21 }, (_, i) => `t${i}`)).success).toBe(false);
    expect(fieldErrors(tags, ["a", "a"])[""]).toEqual(["Tags must be unique"]);
    expect(fieldErrors(tags, ["ok", "<b>x</b>"])["1"]).toEqual(["Tag must not contain HTML tags"]);
  });

  test("isoDate accepts real calendar dates only", () => {
    expect(isoDate.parse("2024-02-29")).toBe("2024-02-29");
    expect(fieldErrors(isoDate, "2025-02-29")[""]).toEqual(["Date must be a real calendar date"]);
    expect(isoDate.safeParse("2025-13-01").success).toBe(false);
    expect(isoDate.safeParse("2025-1-01").success).toBe(false);
    expect(isoDate.safeParse("2025-01-01T00:00:00Z").success).toBe(false);
  });

  test("uuid, color, plannedMinutes and totpCode bounds", () => {
    expect(uuid.safeParse(PROJECT).success).toBe(true);
    expect(uuid.safeParse("1; drop table tasks").success).toBe(false);
    expect(color.parse("#A1B2C3")).toBe("#a1b2c3");
    expect(color.safeParse("red").success).toBe(false);
    expect(plannedMinutes.safeParse(0).success).toBe(false);
    expect(plannedMinutes.safeParse(241).success).toBe(false);
    expect(plannedMinutes.safeParse(25.5).success).toBe(false);
    expect(plannedMinutes.parse(240)).toBe(240);
    expect(totpCode.safeParse("12345").success).toBe(false);
    expect(totpCode.parse("123456")).toBe("123456");
  });
});

describe("entity inputs", () => {
  test("unknown keys are rejected (no mass assignment)", () => {
    const errors = fieldErrors(projectCreateInput, { name: "P", ownerId: PROJECT });
    expect(Object.values(errors).flat().join(" ")).toMatch(/ownerId/);
    expect(
      signUpInput.safeParse({ email: "a@b.co", password: "Str0ng!pass", displayName: "A", role: "admin" }).success,
    ).toBe(false);
  });

  test("sign-in applies no password policy but sign-up does", () => {
    expect(signInInput.safeParse({ email: "a@b.co", password: "weak" }).success).toBe(true);
    expect(signInInput.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
    expect(fieldErrors(signUpInput, { email: "a@b.co", password: "weak", displayName: "A" }).password).toBeDefined();
  });

  test("task create reports field errors by path and applies defaults-free optional fields", () => {
    const errors = fieldErrors(taskCreateInput, {
      projectId: "nope",
      title: "<script>x</script>",
      tags: ["<img src=x>"],
      status: "archived",
      dueDate: "2025-02-30",
    });
    expect(Object.keys(errors).sort()).toEqual(["dueDate", "projectId", "status", "tags.0", "title"]);
    expect(errors.status?.[0]).toBe(`Status must be one of ${TASK_STATUSES.join(", ")}`);
    const ok = taskCreateInput.parse({ projectId: PROJECT, title: " T ", dueDate: null });
    expect(ok).toEqual({ projectId: PROJECT, title: "T", dueDate: null });
  });

  test("SQL-injection strings are ordinary data and pass unchanged", () => {
    const title = "Robert'); DROP TABLE tasks;-- OR '1'='1";
    expect(taskUpdateInput.parse({ id: PROJECT, title, tags: ["' OR 1=1 --"] })).toEqual({
      id: PROJECT,
      title,
      tags: ["' OR 1=1 --"],
    });
  });

  test("member, note and focus inputs", () => {
    expect(memberAddInput.safeParse({ projectId: PROJECT, email: "x@y.io", role: "owner" }).success).toBe(false);
    expect(noteCreateInput.parse({ title: "N", body: "<b>any</b> text", projectId: null }).body).toBe(
      "<b>any</b> text",
    );
    expect(focusStartInput.safeParse({ plannedMinutes: 25, taskId: null }).success).toBe(true);
  });
});

test("the shared schemas module imports only zod, so the web bundle can use it", () => {
  const source = readFileSync(new URL("../src/validation/schemas.ts", import.meta.url), "utf8");
  const imports = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
  expect(imports).toEqual(["zod"]);
});
