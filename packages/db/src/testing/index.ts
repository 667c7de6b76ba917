import { inject } from "vitest";
import { createTestDatabase as create, type TestDatabase } from "./harness";
import "./provided";

export { freePort } from "../embedded";
export type { TestDatabase } from "./harness";

/** Inside a vitest test file: a fresh migrated database on the run's server. */
export function createTestDatabase(): Promise<TestDatabase> {
  return create(inject("pgAdminUrl"), inject("pgTemplate"));
}
