import type { FieldCipher } from "@taskmaster/security";
import type postgres from "postgres";

/** Every encrypted column, with the AAD its ciphertext is bound to. */
const ENCRYPTED_COLUMNS = [
  { table: "notes", column: "body" },
  { table: "users", column: "mfa_secret" },
] as const;

export interface ReencryptReport {
  table: string;
  column: string;
  scanned: number;
  rotated: number;
}

/**
 * Re-encrypts every value not yet under the keyring's active key, in batches,
 * each batch in its own transaction. Safe to stop and run again: rows already
 * rotated are skipped. Must run as the table owner (RLS does not hide rows
 * from it), never as the API's login role.
 */
export async function reencryptAll(
  sql: postgres.Sql,
  cipher: FieldCipher,
  options: { batchSize?: number; log?: (line: string) => void } = {},
): Promise<ReencryptReport[]> {
  const { batchSize = 500, log = () => {} } = options;
  const reports: ReencryptReport[] = [];
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const report: ReencryptReport = { table, column, scanned: 0, rotated: 0 };
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const rows = await sql<{ id: string; value: string }[]>`
        select id::text, ${sql(column)} as value from ${sql(table)}
        where id > ${after}::uuid and ${sql(column)} is not null
        order by id limit ${batchSize}`;
      if (rows.length === 0) break;
      const last = rows.at(-1);
      if (last) after = last.id;
      report.scanned += rows.length;
      const updates = rows.flatMap((r) => {
        const next = cipher.rotate(r.value, { table, column, rowId: r.id });
        return next === null ? [] : [{ id: r.id, value: next }];
      });
      if (updates.length > 0) {
        await sql.begin(async (tx) => {
          for (const u of updates) {
            // Compare-and-set: a row changed by the app since it was read is left for the next run.
            await tx`update ${tx(table)} set ${tx(column)} = ${u.value}
                     where id = ${u.id}::uuid and ${tx(column)} = ${rows.find((r) => r.id === u.id)?.value ?? ""}`;
          }
        });
        report.rotated += updates.length;
      }
      log(`${table}.${column}: ${report.scanned} scanned, ${report.rotated} re-encrypted`);
    }
    reports.push(report);
  }
  return reports;
}
