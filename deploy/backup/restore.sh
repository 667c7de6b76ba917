#!/usr/bin/env bash
# Restores a backup.sh dump into an EMPTY database, then proves the result is
# safe to serve: the RLS lint must pass before anyone points the API at it.
#   TARGET_DATABASE_URL=postgres://owner@host/newdb deploy/backup/restore.sh FILE.dump
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
file="${1:?usage: restore.sh FILE.dump}"
url="${TARGET_DATABASE_URL:?set TARGET_DATABASE_URL (owner login) to an empty database}"

if [ -f "$file.sha256" ]; then
  (cd "$(dirname "$file")" && sha256sum --check --quiet "$(basename "$file").sha256")
fi
tables=$(psql "$url" -Atqc "select count(*) from pg_tables where schemaname in ('public','app')")
if [ "$tables" != "0" ]; then
  echo "restore: the target database is not empty ($tables tables); refusing to overwrite it" >&2
  exit 1
fi

# The app roles are cluster-wide: create them when missing, with the exact
# block the first migration uses (it is idempotent and race-safe).
sed -n '/^do \$\$/,/^\$\$;/p' "$root/packages/db/migrations/0000_roles_and_context.sql" | psql "$url" -v ON_ERROR_STOP=1 -q

pg_restore --exit-on-error --single-transaction --no-owner --dbname="$url" "$file"

# The restored database must still enforce RLS everywhere.
(cd "$root" && DATABASE_URL="$url" node --import tsx packages/db/scripts/lint-rls.ts)
echo "restored $(basename "$file") and the RLS lint passed"
