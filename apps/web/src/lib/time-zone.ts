/**
 * The user's time zone, as the browser reports it (UTC if it reports none). The API counts "today",
 * "overdue" and per-day figures in the zone it is given, and UTC when given none.
 */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
