#!/usr/bin/env bash
# A real streaming read replica of the running PostgreSQL, for CI and the topology test.
#
#   scripts/ci_replica.sh [start|stop]     (default start; idempotent)
#
# start: if no standby streams on REPLICA_PORT, takes a fresh `pg_basebackup -R` of the primary
# (PRIMARY_HOST:PRIMARY_PORT, user postgres) into REPLICA_DIR, gives it its own small
# postgresql.conf (port, socket, trust for local connections) and starts it as a hot standby.
# The primary must allow replication connections: if its pg_hba.conf has no such rule, one
# line (`host replication all 127.0.0.1/32 trust`) is added and the configuration reloaded.
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/dangshi-replica-$REPLICA_PORT}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
psql_primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -qAt "$@"; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-start}" = stop ]; then
  [ -d "$REPLICA_DIR" ] && as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

streaming() {
  [ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -qAtc \
    "select count(*) from pg_stat_wal_receiver where status = 'streaming'" 2>/dev/null)" = 1 ]
}
if pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q; then
  [ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -qAtc 'select pg_is_in_recovery()')" = t ] \
    || { echo "port $REPLICA_PORT answers but is not a standby" >&2; exit 1; }
  if streaming; then echo "replica already streaming on $REPLICA_PORT"; exit 0; fi
  # A standby left from an earlier run may have fallen behind the primary's WAL: start afresh.
  as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -m fast stop >/dev/null
fi

rules=$(psql_primary -c "select count(*) from pg_hba_file_rules where 'replication' = any(database) and auth_method = 'trust'")
if [ "$rules" = 0 ]; then
  hba=$(psql_primary -c "show hba_file")
  echo "host replication all 127.0.0.1/32 trust  # added by dangshi scripts/ci_replica.sh" >>"$hba"
  psql_primary -c "select pg_reload_conf()" >/dev/null
  echo "allowed replication connections from 127.0.0.1 in $hba"
fi

# A fresh copy every start (2 s for the CI cluster): an old one may need WAL the primary dropped.
rm -rf "$REPLICA_DIR"
install -d -o postgres -g postgres -m 700 "$REPLICA_DIR"
as_postgres "$PGBIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" -R -X stream -c fast
# Debian keeps the primary's configuration outside its data directory: the standby gets its own.
cat >"$REPLICA_DIR/postgresql.conf" <<EOF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hba_file = '$REPLICA_DIR/pg_hba.conf'
ident_file = '$REPLICA_DIR/pg_ident.conf'
hot_standby = on
max_connections = 200
EOF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$REPLICA_DIR/pg_hba.conf"
: >"$REPLICA_DIR/pg_ident.conf"
chown postgres:postgres "$REPLICA_DIR"/*.conf

as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/replica.log" -w -t 60 start >/dev/null
for _ in $(seq 60); do pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q && break; sleep 1; done
for _ in $(seq 30); do streaming && break; sleep 1; done
streaming || { echo "the replica on $REPLICA_PORT does not stream; see $REPLICA_DIR/replica.log" >&2; exit 1; }
echo "replica streaming on $REPLICA_PORT from $PRIMARY_HOST:$PRIMARY_PORT ($REPLICA_DIR)"
