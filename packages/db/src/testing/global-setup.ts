import type { TestProject } from "vitest/node";
import { createTemplateDatabase, dropDatabase, testPostgres } from "./harness";
import "./provided";

/**
 * vitest globalSetup: one PostgreSQL per test run (the configured server, or a
 * throw-away embedded one) and one migrated template database that every test
 * database is cloned from.
 */
export default async function setup(project: TestProject) {
  const { adminUrl, stop } = await testPostgres();
  const template = await createTemplateDatabase(adminUrl);
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", template);
  return async () => {
    await dropDatabase(adminUrl, template);
    await stop();
  };
}
