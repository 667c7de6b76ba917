import type { AddressInfo } from "node:net";
import express, { type Express } from "express";
import { afterAll } from "vitest";

const servers: { close(cb: () => void): void; closeAllConnections(): void }[] = [];

afterAll(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/** Starts `configure(app)` on an ephemeral port; closed after the test file. Returns the base URL. */
export async function serve(configure: (app: Express) => void): Promise<string> {
  const app = express();
  app.disable("x-powered-by");
  configure(app);
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
