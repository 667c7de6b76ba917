import { describe, expect, test } from "vitest";
import {
  ARGON2_PARAMS,
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from "../src/passwords";

describe("passwords (argon2id)", () => {
  test("hashes with argon2id and the OWASP parameters, salted", async () => {
    const hash = await hashPassword("Str0ng!pass");
    const { memoryCost, timeCost, parallelism } = ARGON2_PARAMS;
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(hash).toContain(`m=${memoryCost}`);
    expect(hash).toContain(`t=${timeCost}`);
    expect(hash).toContain(`p=${parallelism}`);
    expect(await hashPassword("Str0ng!pass")).not.toBe(hash);
  });

  test("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("Str0ng!pass");
    expect(await verifyPassword(hash, "Str0ng!pass")).toBe(true);
    expect(await verifyPassword(hash, "Str0ng!pasS")).toBe(false);
  });

  test("returns false instead of throwing for malformed or foreign hashes", async () => {
    for (const bad of ["", "garbage", "$argon2id$v=19$m=1,t=1,p=1$bad$bad", "$2b$10$abcdefghijklmnopqrstuv"]) {
      await expect(verifyPassword(bad, "x")).resolves.toBe(false);
    }
  });

  test("needsRehash flags weaker parameters and other algorithms", async () => {
    const weak = await hashPassword("pw", { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword("pw"))).toBe(false);
    expect(needsRehash("$2b$10$abcdefghijklmnopqrstuv")).toBe(true);
  });

  test("the dummy hash uses the current parameters, so unknown emails cost as much as real checks", async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    const real = await hashPassword("Str0ng!pass");
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      for (let i = 0; i < 5; i++) await fn();
      return performance.now() - start;
    };
    await verifyAgainstDummy("warm-up");
    const dummy = await time(() => verifyAgainstDummy("Str0ng!pass"));
    const genuine = await time(() => verifyPassword(real, "wrong"));
    expect(await verifyAgainstDummy("anything")).toBe(false);
    // Same parameters, same work; generous bounds so a busy CI machine does not flake,
    // while an instant "return false" (ratio ~0) still fails.
    expect(dummy / genuine).toBeGreaterThan(0.33);
    expect(dummy / genuine).toBeLessThan(3);
  });
});
