import { z } from "zod";

/** An IANA time zone the runtime knows ("Europe/Berlin"); day boundaries follow it. */
export const timeZone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: "Unknown time zone" },
  );
