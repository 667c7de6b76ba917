#!/usr/bin/env bash
# Backs up the TaskMaster database: schema, RLS policies, grants and data in
# one pg_dump custom-format file, plus a SHA-256 checksum beside it.
#   MIGRATION_DATABASE_URL=postgres://owner@host/db deploy/backup/backup.sh [DIR]
# Roles are cluster-wide and not in the dump; restore.sh recreates them.
# Needs pg_dump of the server's major version or newer.
set -euo pipefail
url="${MIGRATION_DATABASE_URL:-${DATABASE_URL:-}}"
if [ -z "$url" ]; then
  echo "backup: set MIGRATION_DATABASE_URL (the owner login) to the database to back up" >&2
  exit 2
fi
dir="${1:-./backups}"
umask 077
mkdir -p "$dir"
file="$dir/taskmaster-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --compress=6 --no-owner --file="$file" "$url"
(cd "$dir" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")
echo "$file"
