import { describe, expect, test, vi } from "vitest";
import { createVitalsQueue, MAX_BATCH, VITALS_URL, type VitalName } from "./vitals";

const metric = (i: number, name: VitalName = "LCP") => ({
  name,
  value: i,
  rating: "good" as const,
  id: `v-${i}`,
  navigationType: "navigate" as const,
});

type Beacon = (url: string, body: Blob) => boolean;
const beacon = (result = true) => vi.fn<Beacon>(() => result);

async function bodies(send: ReturnType<typeof beacon>) {
  return Promise.all(send.mock.calls.map(async ([, blob]) => JSON.parse(await blob.text())));
}

describe("createVitalsQueue", () => {
  test("sends everything queued in beacons of at most 50 reports to /api/vitals", async () => {
    const send = beacon();
    const queue = createVitalsQueue({ sendBeacon: send, currentRoute: () => "/" });
    for (let i = 0; i < 120; i++) queue.add(metric(i));
    queue.flush();
    expect(send).toHaveBeenCalledTimes(3);
    expect(send.mock.calls.every(([url]) => url === VITALS_URL)).toBe(true);
    const sent = await bodies(send);
    expect(sent.map((b) => b.length)).toEqual([MAX_BATCH, MAX_BATCH, 20]);
    expect(sent.flat().map((r: { value: number }) => r.value)).toEqual([...Array(120).keys()]);
    expect(queue.size).toBe(0);
  });

  test("labels each report with the route pattern, not the concrete URL", async () => {
    const send = beacon();
    const queue = createVitalsQueue({ sendBeacon: send, currentRoute: () => "/projects/:projectId" });
    queue.add(metric(1, "CLS"));
    queue.flush();
    const [[report]] = await bodies(send);
    expect(report).toEqual({
      name: "CLS",
      value: 1,
      rating: "good",
      id: "v-1",
      navigationType: "navigate",
      route: "/projects/:projectId",
    });
  });

  test("keeps only the latest value of a metric reported again (same id)", async () => {
    const send = beacon();
    const queue = createVitalsQueue({ sendBeacon: send, currentRoute: () => "/" });
    queue.add({ ...metric(1, "CLS"), id: "cls-1", value: 0.01 });
    queue.add({ ...metric(2, "CLS"), id: "cls-1", value: 0.05 });
    queue.flush();
    const [batch] = await bodies(send);
    expect(batch).toHaveLength(1);
    expect(batch[0].value).toBe(0.05);
  });

  test("sends nothing when nothing was measured", () => {
    const send = beacon();
    createVitalsQueue({ sendBeacon: send, currentRoute: () => "/" }).flush();
    expect(send).not.toHaveBeenCalled();
  });

  test("falls back to fetch when the browser refuses the beacon", () => {
    const fallback = vi.fn();
    const queue = createVitalsQueue({ sendBeacon: () => false, fallback, currentRoute: () => "/" });
    queue.add(metric(1));
    queue.flush();
    expect(fallback).toHaveBeenCalledWith(VITALS_URL, expect.stringContaining('"id":"v-1"'));
  });

  test("drops metrics the endpoint does not accept", () => {
    const send = beacon();
    const queue = createVitalsQueue({ sendBeacon: send, currentRoute: () => "/" });
    queue.add(metric(1, "FID" as VitalName));
    expect(queue.size).toBe(0);
  });
});
