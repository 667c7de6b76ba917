import { TRPCError } from "@trpc/server";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { z } from "zod";

/** Sent by tRPC's infinite queries; pages only go forward, so it is accepted and ignored. */
const pageDirection = z.enum(["forward", "backward"]).optional();

/** The fields every cursor-paged list input has (spread into its zod object). */
export const pageInput = {
  cursor: z.string().max(500).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
  direction: pageDirection,
};

type CursorValue = string | number | null;

/**
 * A page from rows fetched with `limit + 1`: the extra row only says there is
 * more, and the last item's sort key becomes the next cursor.
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  keyOf: (item: T) => readonly CursorValue[],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(map);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** Keyset condition for lists ordered newest first by (timestamp desc, id desc). */
export function olderThan(timestamp: AnyColumn, id: AnyColumn, cursor: string): SQL {
  const [t, i] = decodeCursor(cursor, 2);
  return sql`(${timestamp}, ${id}) < (${String(t)}::timestamptz, ${String(i)}::uuid)`;
}

/** Opaque keyset cursors: the sort key of the last row, base64url JSON. */
export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): CursorValue[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => v === null || typeof v === "string" || typeof v === "number")
    ) {
      return values;
    }
  } catch {
    // fall through to the error below
  }
  throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid cursor: start again from the first page." });
}
