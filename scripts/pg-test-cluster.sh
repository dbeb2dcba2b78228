#!/bin/bash
# A private PostgreSQL 15 cluster for the tests (docs/deploy.md, "The test
# cluster"). Test data only: fsync, full_page_writes and synchronous_commit
# are off.
#
#   pg-test-cluster.sh start DIR   initdb a fresh cluster in a new temporary
#                                  folder, start it on a free 127.0.0.1 port
#                                  and on a unix socket inside that folder,
#                                  and write its connection URL to DIR/url
#   pg-test-cluster.sh stop DIR    stop it and remove its folder and DIR
#
# DIR is the state folder the tests read (DOSSIER_PG_URL_FILE=DIR/url); the
# cluster itself lives in a folder from mktemp, named in DIR/cluster.
# PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the
# postgres system user (the postgresql-15 package makes it), which owns the
# cluster folder. The server's superuser is "dossier" with a random
# password (scram-sha-256 over TCP; the socket is for the owner only).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

usage() {
  die "usage: $0 start|stop DIR"
}

[ $# -eq 2 ] || usage
action=$1
state=$2

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_cluster() {
  local dir
  if [ -f "$state/cluster" ]; then
    dir=$(cat "$state/cluster")
    if [ -n "$dir" ] && [ -d "$dir" ]; then
      if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
          >/dev/null 2>&1 || true
      fi
      rm -rf -- "$dir"
    fi
  fi
  rm -rf -- "$state"
}

# A port nothing listens on now, in the ephemeral-free range 20000..59999.
free_port() {
  local port tries=0
  while [ $tries -lt 50 ]; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  return 1
}

start_cluster() {
  [ -x "$PG_BIN/initdb" ] ||
    die "no PostgreSQL 15 server in $PG_BIN: install postgresql-15 (scripts/install-deps.sh)"
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    die "running as root needs the postgres system user (made by the postgresql-15 package)"
  fi
  # A cluster left by an earlier run that did not stop is stopped first.
  stop_cluster
  mkdir -p "$state"
  local dir
  dir=$(mktemp -d /tmp/dossier-pg.XXXXXX)
  echo "$dir" >"$state/cluster"
  chmod 0700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/pwfile"; fi
  chmod 0600 "$dir/pwfile"
  if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -U dossier \
      --pwfile="$dir/pwfile" --auth-local=peer --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed in $dir/data"
  fi
  rm -f "$dir/pwfile"

  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$(free_port) || die "no free port on 127.0.0.1"
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port \
            -c unix_socket_directories=$dir -c fsync=off \
            -c full_page_writes=off -c synchronous_commit=off \
            -c max_connections=200 -c shared_buffers=32MB" \
        start >/dev/null 2>&1; then
      printf 'postgresql://dossier:%s@127.0.0.1:%s/postgres\n' "$password" \
        "$port" >"$state/url.tmp"
      chmod 0600 "$state/url.tmp"
      mv "$state/url.tmp" "$state/url"
      echo "pg-test-cluster: PostgreSQL 15 on 127.0.0.1:$port (socket in $dir), URL in $state/url"
      return 0
    fi
    # Someone took the port between the check and the bind: try another.
    if ! grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null; then
      cat "$dir/server.log" >&2 || true
      die "the server in $dir/data did not start"
    fi
  done
  cat "$dir/server.log" >&2 || true
  die "the server in $dir/data found no free port in 5 attempts"
}

case "$action" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  *) usage ;;
esac
