import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { FocusChart } from "./FocusChart";

afterEach(cleanup);

const perDay = [
  { date: "2026-11-16", minutes: 0 },
  { date: "2026-11-17", minutes: 25 },
  { date: "2026-11-18", minutes: 50 },
  { date: "2026-11-19", minutes: 0 },
  { date: "2026-11-20", minutes: 90 },
  { date: "2026-11-21", minutes: 10 },
  { date: "2026-11-22", minutes: 5 },
];

test("draws one bar per day, the tallest for the busiest day, named by the visible summary", () => {
  render(<FocusChart perDay={perDay} />);
  const chart = screen.getByRole("img", { name: "3 h focused in the last 7 days" });
  const heights = [...chart.querySelectorAll("rect")].map((r) => Number(r.getAttribute("height")));
  expect(heights).toHaveLength(7);
  expect(heights.indexOf(Math.max(...heights))).toBe(4);
  expect(heights[0]).toBe(0);
  expect(heights[2]).toBeCloseTo((heights[4] ?? 0) * (50 / 90));
});

test("carries the same numbers in a table for screen readers", () => {
  render(<FocusChart perDay={perDay} />);
  const table = screen.getByRole("table", { name: "Minutes focused per day" });
  const rows = within(table).getAllByRole("row").slice(1);
  expect(rows.map((r) => r.textContent)).toEqual([
    "2026-11-160 min",
    "2026-11-1725 min",
    "2026-11-1850 min",
    "2026-11-190 min",
    "2026-11-201 h 30 min",
    "2026-11-2110 min",
    "2026-11-225 min",
  ]);
});
