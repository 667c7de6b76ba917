import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { users } from "./users";

/**
 * One row per refresh token ever issued. A sign-in starts a family; each
 * refresh rotates to a new row in the same family and marks the old one
 * `rotatedAt`. Presenting a rotated token again revokes the whole family.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    familyId: uuid("family_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the refresh token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    idleExpiresAt: timestamp("idle_expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    mfaVerified: boolean("mfa_verified").notNull().default(false),
    revoked: boolean("revoked").notNull().default(false),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_family_id_idx").on(t.familyId)],
);
