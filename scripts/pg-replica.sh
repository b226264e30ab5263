#!/usr/bin/env bash
# A real PostgreSQL streaming read replica for tests and trials (issue 19 item 3), with PostgreSQL's own
# tooling: a throwaway primary cluster (initdb, wal_level=replica) on its own port, and a hot-standby replica
# made from it with pg_basebackup -R (streaming, WAL over the replication protocol) on another port.
# The shared cluster on 5432 is never touched: no restart, no pg_hba change, no copy of its databases.
#
#   scripts/pg-replica.sh start DIR [PRIMARY_PORT=55432] [REPLICA_PORT=55433]   # prints two URLs
#   scripts/pg-replica.sh stop DIR                                              # stops both, removes DIR
#   scripts/pg-replica.sh stop-replica DIR | start-replica DIR                  # the replica down and back
#
# Exits 3 with a message when the tools are missing (tests skip on that).
set -euo pipefail
cmd=${1:-}; dir=${2:-}; pport=${3:-55432}; rport=${4:-55433}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|stop-replica|start-replica DIR [PRIMARY_PORT REPLICA_PORT]" >&2; exit 2; }
bindir=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
for tool in initdb pg_ctl pg_basebackup; do
  [ -x "$bindir/$tool" ] || { echo "SKIP: $tool not found (install postgresql: apt-get install postgresql)" >&2; exit 3; }
done
# initdb refuses root: the clusters then belong to the postgres account.
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then echo "SKIP: running as root without a postgres account" >&2; exit 3; fi

case "$cmd" in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as "$bindir/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$dir/primary/postgresql.conf" <<CONF
port = $pport
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
fsync = off
CONF
    as "$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
    # -R writes standby.signal and primary_conninfo: the copy starts as a streaming hot standby.
    as "$bindir/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$dir/replica" -R -X stream -c fast
    cat >> "$dir/replica/postgresql.auto.conf" <<CONF
port = $rport
hot_standby = on
CONF
    as "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null
    in_recovery=$(as psql -h 127.0.0.1 -p "$rport" -U postgres -Atc 'select pg_is_in_recovery()')
    [ "$in_recovery" = t ] || { echo "FAILED: the replica is not in recovery" >&2; exit 1; }
    for _ in $(seq 1 50); do
      n=$(as psql -h 127.0.0.1 -p "$pport" -U postgres -Atc "select count(*) from pg_stat_replication where state = 'streaming'")
      [ "$n" = 1 ] && break; sleep 0.2
    done
    [ "$n" = 1 ] || { echo "FAILED: the replica is not streaming" >&2; exit 1; }
    echo "PRIMARY postgres://postgres@127.0.0.1:$pport/postgres"
    echo "REPLICA postgres://postgres@127.0.0.1:$rport/postgres"
    ;;
  stop-replica) as "$bindir/pg_ctl" -D "$dir/replica" -m fast -w stop >/dev/null ;;
  start-replica) as "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null ;;
  stop)
    for c in replica primary; do [ -d "$dir/$c" ] && as "$bindir/pg_ctl" -D "$dir/$c" -m immediate -w stop >/dev/null 2>&1 || true; done
    rm -rf "$dir"
    ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
