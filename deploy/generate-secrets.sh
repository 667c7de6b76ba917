#!/usr/bin/env bash
# Creates .env and .secrets/ (both git-ignored) with fresh random secrets for
# docker-compose.yml. Refuses to overwrite existing ones: rotating them is a
# deliberate act (ENCRYPTION_KEYS needs the re-encrypt command).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -e .env ]; then
  echo ".env already exists; not overwriting it." >&2
  exit 1
fi
rand() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+=' | head -c "$2"; }
umask 077
mkdir -p .secrets
metrics_token=$(rand 48 48)
printf '%s' "$metrics_token" > .secrets/metrics-token
cat > .env <<ENV
COMPOSE_PROJECT_NAME=taskmaster
POSTGRES_PASSWORD=$(rand 48 40)
DB_APP_PASSWORD=$(rand 48 40)
JWT_SECRET=$(rand 64 64)
ENCRYPTION_KEYS=k$(date +%Y%m%d):$(head -c 32 /dev/urandom | base64 | tr -d '\n')
METRICS_TOKEN=$metrics_token
GRAFANA_ADMIN_PASSWORD=$(rand 24 20)
ENV
echo "wrote .env and .secrets/metrics-token"
