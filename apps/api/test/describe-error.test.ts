import { expect, test } from "vitest";
import { describeError } from "../src/lib/describe-error";

test("a drizzle query error is described without the query parameters it carries", () => {
  const driver = Object.assign(new Error('duplicate key value violates unique constraint "users_email_lower_key"'), {
    name: "PostgresError",
    code: "23505",
  });
  const drizzle = Object.assign(
    new Error("Failed query: insert into users ... params: ada@example.com,$argon2id$v=19$secret"),
    {
      name: "DrizzleQueryError",
      cause: driver,
    },
  );
  const described = describeError(drizzle);
  expect(described).toMatchObject({ name: "PostgresError", code: "23505" });
  expect(JSON.stringify(described)).not.toMatch(/ada@example.com|argon2id/);
});
