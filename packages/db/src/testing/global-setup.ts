import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres } from "../embedded";
import { createTemplateDatabase, dropDatabase } from "./harness";
import "./provided";

/**
 * vitest globalSetup: one PostgreSQL per test run (the configured server, or a
 * throw-away embedded one) and one migrated template database that every test
 * database is cloned from.
 */
export default async function setup(project: TestProject) {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let adminUrl: string;
  if (configured) {
    adminUrl = configured;
  } else {
    const server = await startEmbeddedPostgres({
      dataDir: mkdtempSync(path.join(tmpdir(), "tm-pg-")),
      port: await freePort(),
      ephemeral: true,
    });
    adminUrl = server.adminUrl;
    stopEmbedded = server.stop;
  }
  const template = await createTemplateDatabase(adminUrl);
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", template);
  return async () => {
    await dropDatabase(adminUrl, template);
    await stopEmbedded?.();
  };
}
