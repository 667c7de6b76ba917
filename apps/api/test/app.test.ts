import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createApp } from "../src/app";

let base: string;
let close: () => void;
beforeAll(async () => {
  const server = createApp({ version: "1.2.3" }).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

test("liveness answers with the version and hides the framework", async () => {
  const res = await fetch(`${base}/api/health/live`);
  expect(res.status).toBe(200);
  expect(res.headers.get("x-powered-by")).toBeNull();
  expect(await res.json()).toMatchObject({ status: "ok", version: "1.2.3" });
});
