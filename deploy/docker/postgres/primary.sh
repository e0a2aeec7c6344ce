#!/usr/bin/env bash
# The primary's entrypoint (runs as the postgres user): on first start, create the cluster with
# the postgres password, the `shop` database, a `replicator` role and the physical replication
# slot `replica1` for the streaming replica (replica.sh); then run PostgreSQL. It needs nothing of
# the postgres image's own entrypoint, so Debian's packages serve as well (local-base-images.sh).
set -euo pipefail
: "${PGDATA:?PGDATA is not set}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is not set}"
DATABASE=${POSTGRES_DB:-shop}

# Debian's packages keep the server programs outside PATH; the postgres image puts them on it.
for bin in /usr/lib/postgresql/*/bin; do [ -d "$bin" ] && PATH="$bin:$PATH"; done

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "primary: creating the database cluster"
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --pgdata "$PGDATA" --username postgres --pwfile "$pwfile" --encoding UTF8 \
    --auth-local trust --auth-host scram-sha-256 >/dev/null
  rm -f "$pwfile"
  chmod 0700 "$PGDATA"
  {
    echo "host all all all scram-sha-256"
    echo "host replication replicator all scram-sha-256"
  } >> "$PGDATA/pg_hba.conf"
  # Set up on a socket only, so nothing connects before it is done.
  socket=$(mktemp -d)
  pg_ctl --pgdata "$PGDATA" --wait --silent -o "-c listen_addresses='' -k $socket" start
  psql --host "$socket" --username postgres --dbname postgres -v ON_ERROR_STOP=1 --quiet \
    -v database="$DATABASE" -v password="$REPLICATION_PASSWORD" >/dev/null <<'SQL'
CREATE DATABASE :"database";
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica1');
SQL
  pg_ctl --pgdata "$PGDATA" --wait --silent --mode fast stop
  rmdir "$socket"
fi
exec postgres -c listen_addresses='*' -c unix_socket_directories=/tmp "$@"
