// `npm run reencrypt -w @taskmaster/api`: after putting a new key first in
// ENCRYPTION_KEYS (keeping the old ones after it), re-encrypts every stored
// ciphertext under the new key. Then the old key can be removed.
// Connects with MIGRATION_DATABASE_URL (the table owner), never as app_api.
import { createFieldCipher, parseKeyring } from "@taskmaster/security";
import postgres from "postgres";
import { reencryptAll } from "../src/maintenance/reencrypt";

const url = process.env.MIGRATION_DATABASE_URL;
const keys = process.env.ENCRYPTION_KEYS;
const missing = [!url && "MIGRATION_DATABASE_URL", !keys && "ENCRYPTION_KEYS"].filter(Boolean);
if (missing.length > 0 || !url || !keys) {
  console.error(`reencrypt: missing ${missing.join(", ")}`);
  process.exit(1);
}
const cipher = createFieldCipher(parseKeyring(keys));
const sql = postgres(url, { max: 2, onnotice: () => {} });
try {
  const reports = await reencryptAll(sql, cipher, { log: (line) => console.log(line) });
  for (const r of reports)
    console.log(`done ${r.table}.${r.column}: ${r.rotated} of ${r.scanned} re-encrypted to key ${cipher.activeKeyId}`);
} catch (err) {
  console.error(`reencrypt failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await sql.end();
}
