import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import { renderApp } from "../../test/render";
import { fakeTrpcFetch } from "../../test/trpc-fetch";
import { CalendarPage, TASKS_PER_DAY } from "./CalendarPage";
import { monthGrid, todayIn } from "./dates";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
});

const OWN = "10000000-0000-4000-8000-000000000001";
const SHARED = "10000000-0000-4000-8000-000000000002";
let n = 0;
function task(dueDate: string, title: string, extra: Record<string, unknown> = {}) {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    title,
    status: "todo",
    priority: "medium",
    dueDate,
    projectId: OWN,
    projectName: "Launch",
    projectColor: "#2563eb",
    ...extra,
  };
}

function setup({
  path = "/calendar?month=2026-03",
  items = [] as ReturnType<typeof task>[],
  weekStartsOn = 1,
  timeZone = "UTC",
} = {}) {
  const api = fakeTrpcFetch((p, input) => {
    if (p === "tasks.calendar") {
      const { from, to } = input as { from: string; to: string };
      return {
        data: { from, to, truncated: false, items: items.filter((t) => t.dueDate >= from && t.dueDate <= to) },
      };
    }
    if (p === "auth.me") return { data: { id: "u", email: "ada@example.com", displayName: "Ada", mfaEnabled: false } };
    return { error: { code: "NOT_FOUND" } };
  });
  vi.stubGlobal("fetch", api.fetch);
  localStorage.setItem("taskmaster.hadSession", "1");
  const view = renderApp(<CalendarPage weekStartsOn={weekStartsOn} timeZone={timeZone} />, { path });
  const ranges = () => api.calls.filter((c) => c.path === "tasks.calendar").map((c) => c.input);
  const cell = (date: string) => {
    const td = view.container.querySelector<HTMLElement>(`td[data-date="${date}"]`);
    if (!td) throw new Error(`no cell for ${date}`);
    return td;
  };
  return { ...view, ranges, cell };
}

const month = () => screen.getByRole("heading", { level: 2 }).textContent;
const grid = () => screen.getByRole("table", { name: month() ?? "" });

describe("dates", () => {
  test("a month grid holds whole weeks from the week of the 1st to the week of the last day", () => {
    const monday = monthGrid("2026-03", 1);
    expect(monday).toHaveLength(6);
    expect(monday[0]?.[0]).toBe("2026-02-23");
    expect(monday.at(-1)?.[6]).toBe("2026-04-05");
    const sunday = monthGrid("2026-03", 0);
    expect(sunday).toHaveLength(5);
    expect(sunday[0]?.[0]).toBe("2026-03-01");
    // February 2027 starts on a Monday and has 28 days: exactly four rows.
    expect(monthGrid("2027-02", 1)).toHaveLength(4);
  });

  test("today is the user's today, not UTC's", () => {
    const now = new Date("2026-07-31T23:30:00Z");
    expect(todayIn("UTC", now)).toBe("2026-07-31");
    expect(todayIn("Asia/Tokyo", now)).toBe("2026-08-01");
    expect(todayIn("America/Los_Angeles", new Date("2026-08-01T05:00:00Z"))).toBe("2026-07-31");
  });
});

describe("CalendarPage", () => {
  test("lays out a known month as a table of weeks, Monday first, and asks for exactly those days", async () => {
    setup();
    await waitFor(() => expect(month()).toBe("March 2026"));
    const table = grid();
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => within(r).getAllByRole("cell").length === 7)).toBe(true);
    // 23 February … 5 April: the days of other months are there, marked as outside.
    expect(within(rows[0] as HTMLElement).getAllByRole("cell")[0]?.textContent).toContain("Monday, February 23");
    expect(table.querySelectorAll("td.outside")).toHaveLength(42 - 31);
  });

  test("asks the API for the grid's first to last day", async () => {
    const { ranges } = setup();
    await waitFor(() => expect(ranges()).toEqual([{ from: "2026-02-23", to: "2026-04-05" }]));
  });

  test("Sunday-first locales get a Sunday-first grid", async () => {
    setup({ weekStartsOn: 0 });
    await waitFor(() => expect(month()).toBe("March 2026"));
    expect(within(grid()).getAllByRole("columnheader")[0]?.textContent).toBe("Sun");
    expect(within(grid()).getAllByRole("row")).toHaveLength(1 + 5);
  });

  test("puts each task on its due day, with its project's colour and a link to the project", async () => {
    const items = [
      task("2026-03-15", "Write release notes"),
      task("2026-03-15", "Book the venue", { status: "done" }),
      task("2026-03-20", "Review budget", { projectId: SHARED, projectName: "Shared", projectColor: "#ff0000" }),
      task("2026-02-24", "Leading day"),
    ];
    const { cell } = setup({ items });
    await screen.findByText("Write release notes");
    const fifteenth = cell("2026-03-15");
    expect(
      within(fifteenth)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Write release notes (Launch)", "Done: Book the venue (Launch)"]);
    expect(
      within(fifteenth)
        .getByRole("link", { name: /Book the venue/ })
        .closest("li")?.className,
    ).toContain("done");
    expect(within(fifteenth).getByRole("list").getAttribute("aria-label")).toBe("Due Sunday, March 15");
    const shared = within(cell("2026-03-20")).getByRole("link", { name: "Review budget (Shared)" });
    expect(shared.getAttribute("href")).toBe(`/projects/${SHARED}`);
    expect(shared.querySelector("circle")?.getAttribute("fill")).toBe("#ff0000");
    // A day of the previous month that the grid shows carries its tasks too.
    expect(within(cell("2026-02-24")).getByText("Leading day")).toBeTruthy();
    expect(within(cell("2026-03-16")).queryAllByRole("listitem")).toHaveLength(0);
  });

  test("previous, next and today move the month, update the URL and fetch the new range", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    // 08:30 in Tokyo on 1 August, still 31 July in UTC: today is Tokyo's.
    vi.setSystemTime(new Date("2026-07-31T23:30:00Z"));
    const { ranges, location, cell } = setup({ timeZone: "Asia/Tokyo" });
    await waitFor(() => expect(month()).toBe("March 2026"));
    fireEvent.click(screen.getByRole("button", { name: "Next month" }));
    await waitFor(() => expect(month()).toBe("April 2026"));
    expect(location.history.at(-1)).toBe("/calendar?month=2026-04");
    fireEvent.click(screen.getByRole("button", { name: "Previous month" }));
    fireEvent.click(screen.getByRole("button", { name: "Previous month" }));
    await waitFor(() => expect(month()).toBe("February 2026"));
    fireEvent.click(screen.getByRole("button", { name: "Today" }));
    await waitFor(() => expect(month()).toBe("August 2026"));
    expect(location.history.at(-1)).toBe("/calendar");
    expect(cell("2026-08-01").getAttribute("aria-current")).toBe("date");
    expect(cell("2026-07-31").getAttribute("aria-current")).toBeNull();
    await waitFor(() =>
      expect(ranges()).toEqual(
        expect.arrayContaining([
          { from: "2026-03-30", to: "2026-05-03" },
          { from: "2026-01-26", to: "2026-03-01" },
          { from: "2026-07-27", to: "2026-09-06" },
        ]),
      ),
    );
  });

  test("without ?month it opens on the current month in the user's time zone", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-07-31T23:30:00Z"));
    setup({ path: "/calendar", timeZone: "America/Los_Angeles" });
    await waitFor(() => expect(month()).toBe("July 2026"));
  });

  test("a busy day shows the first tasks and '+N more', which expands in place", async () => {
    const items = Array.from({ length: TASKS_PER_DAY + 2 }, (_, i) => task("2026-03-10", `Busy ${i + 1}`));
    const { cell } = setup({ items });
    await screen.findByText("Busy 1");
    const day = cell("2026-03-10");
    expect(within(day).getAllByRole("listitem")).toHaveLength(TASKS_PER_DAY);
    const more = within(day).getByRole("button", { name: "+2 more on Tuesday, March 10" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(more);
    expect(within(day).getAllByRole("listitem")).toHaveLength(TASKS_PER_DAY + 2);
    const fewer = within(day).getByRole("button", { name: "Show fewer tasks on Tuesday, March 10" });
    expect(fewer.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(fewer);
    expect(within(day).getAllByRole("listitem")).toHaveLength(TASKS_PER_DAY);
  });

  test("a day with exactly the limit has no '+N more'", async () => {
    const items = Array.from({ length: TASKS_PER_DAY }, (_, i) => task("2026-03-11", `Full ${i + 1}`));
    const { cell } = setup({ items });
    await screen.findByText("Full 1");
    expect(within(cell("2026-03-11")).queryByRole("button")).toBeNull();
  });
});
