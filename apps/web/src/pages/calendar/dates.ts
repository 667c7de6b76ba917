/**
 * Calendar arithmetic on plain `YYYY-MM-DD` strings. Due dates are calendar
 * dates without a time, so every computation runs in UTC on date-only values:
 * no DST gap or duplicated hour can shift a day. The user's time zone matters
 * for one thing only, which day is "today" (see {@link todayIn}).
 */

/** A month as its first day's year and 1-based month, e.g. `2026-03`. */
export type Month = `${number}-${string}`;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function toUtc(date: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(date: string, days: number): string {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return toUtc(date).getUTCDay();
}

/** Today's date in `timeZone`: the day boundary is the user's midnight, not UTC's. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return `${pad(part("year"), 4)}-${pad(part("month"))}-${pad(part("day"))}`;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `2026-03` → valid; anything else (a typo in the URL) → null. */
export function parseMonth(value: string | null | undefined): Month | null {
  return value && MONTH.test(value) ? (value as Month) : null;
}

export const monthOf = (date: string): Month => date.slice(0, 7) as Month;

export function shiftMonth(month: Month, by: number): Month {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return monthOf(fromUtc(new Date(Date.UTC(y, m - 1 + by, 1))));
}

/**
 * The weeks a month grid shows: from the week that holds the 1st to the week
 * that holds the last day, each week starting on `weekStartsOn` (0 = Sunday,
 * 1 = Monday). Four to six rows of seven dates, so at most 42 days.
 */
export function monthGrid(month: Month, weekStartsOn: number): string[][] {
  const first = `${month}-01`;
  const last = addDays(`${shiftMonth(month, 1)}-01`, -1);
  let day = addDays(first, -((weekday(first) - weekStartsOn + 7) % 7));
  const weeks: string[][] = [];
  while (day <= last) {
    const week: string[] = [];
    for (let i = 0; i < 7; i++) {
      week.push(day);
      day = addDays(day, 1);
    }
    weeks.push(week);
  }
  return weeks;
}

/**
 * The first day of the week for the user's locale (0 = Sunday, 1 = Monday, …),
 * from `Intl.Locale#getWeekInfo` where the browser has it; Monday (ISO 8601)
 * otherwise.
 */
export function localeWeekStart(locale: string = navigator.language): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const firstDay = loc.getWeekInfo?.().firstDay ?? loc.weekInfo?.firstDay;
    return firstDay ? firstDay % 7 : 1;
  } catch {
    return 1;
  }
}

const utcFormat = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" });

export function formatMonth(month: Month): string {
  return utcFormat({ month: "long", year: "numeric" }).format(toUtc(`${month}-01`));
}

/** e.g. "Sunday, March 15": the accessible name of a day cell. */
export function formatDay(date: string): string {
  return utcFormat({ weekday: "long", month: "long", day: "numeric" }).format(toUtc(date));
}

export function formatWeekday(date: string, width: "short" | "long"): string {
  return utcFormat({ weekday: width }).format(toUtc(date));
}

export const dayOfMonth = (date: string) => Number(date.slice(8, 10));
