#!/usr/bin/env bash
# Run once by the postgres image's entrypoint when it creates the primary's data directory
# (mounted in /docker-entrypoint-initdb.d): a role and a physical slot for the streaming replica.
set -euo pipefail
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is not set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica1');
SQL

# The replica connects over the compose network with the replicator's password.
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
