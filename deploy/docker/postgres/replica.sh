#!/usr/bin/env bash
# The streaming replica's entrypoint (runs as the postgres user): on first start, copy the
# primary with pg_basebackup (-R writes the standby settings, replication slot replica1 keeps the
# WAL it still needs), then run PostgreSQL as a hot standby.
set -euo pipefail
: "${PGDATA:?PGDATA is not set}"
: "${PRIMARY_HOST:?PRIMARY_HOST is not set}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is not set}"

# Debian's packages keep the server programs outside PATH; the postgres image puts them on it.
for bin in /usr/lib/postgresql/*/bin; do [ -d "$bin" ] && PATH="$bin:$PATH"; done

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "replica: copying the primary from $PRIMARY_HOST"
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_basebackup --host "$PRIMARY_HOST" --username replicator --pgdata "$PGDATA" \
      --wal-method stream --slot replica1 --write-recovery-conf --checkpoint fast; do
    echo "replica: the primary is not ready; again in 2 s"
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  unset PGPASSWORD
  chmod 0700 "$PGDATA"
fi
exec postgres -c listen_addresses='*' -c unix_socket_directories=/tmp -c hot_standby=on "$@"
