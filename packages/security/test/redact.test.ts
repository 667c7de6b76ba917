import { describe, expect, test } from "vitest";
import { REDACTED, redact } from "../src/redact";

describe("redact", () => {
  test("replaces secret keys at any depth and keeps the rest", () => {
    const input = {
      user: "ada",
      password: "hunter2",
      nested: { token: "abc", deeper: [{ apiKey: "k1", Authorization: "Bearer x.y.z", ok: 1 }] },
      headers: { cookie: "sid=1", "x-request-id": "r1" },
    };
    expect(redact(input)).toEqual({
      user: "ada",
      password: REDACTED,
      nested: { token: REDACTED, deeper: [{ apiKey: REDACTED, Authorization: REDACTED, ok: 1 }] },
      headers: { cookie: REDACTED, "x-request-id": "r1" },
    });
    expect(input.password).toBe("hunter2");
  });

  test("scrubs credentials inside innocent-looking string values", () => {
    const out = redact({
      url: "postgres://app:s3cr3t@db:5432/x",
      header: "Bearer abc.def.ghi",
      msg: "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U seen",
    }) as Record<string, string>;
    expect(JSON.stringify(out)).not.toMatch(/s3cr3t|abc\.def|eyJhbGciOiJIUzI1NiJ9\.eyJ/);
    expect(out.url).toBe(`postgres://app:${REDACTED}@db:5432/x`);
  });

  test("survives cycles and errors without leaking their secrets", () => {
    const a: Record<string, unknown> = { name: "a", secret: "s" };
    a.self = a;
    const err = Object.assign(new Error("failed for postgres://u:pw@h/db"), { password: "p" });
    const out = redact({ a, err }) as { a: Record<string, unknown>; err: Record<string, unknown> };
    expect(out.a.secret).toBe(REDACTED);
    expect(out.a.self).toBe(out.a);
    expect(out.err.password).toBe(REDACTED);
    expect(String(out.err.message)).not.toContain("pw@");
  });
});
