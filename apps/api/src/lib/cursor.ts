import { TRPCError } from "@trpc/server";
import { z } from "zod";

/** Sent by tRPC's infinite queries; pages only go forward, so it is accepted and ignored. */
export const pageDirection = z.enum(["forward", "backward"]).optional();

/** Opaque keyset cursors: the sort key of the last row, base64url JSON. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): (string | number | null)[] {
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
