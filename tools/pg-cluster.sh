#!/usr/bin/env bash
# Starts, inspects and stops a 3-node PostgreSQL 15 cluster on loopback, managed by Patroni with a
# 3-member etcd cluster as coordinator, from Debian's packages (postgresql, patroni, etcd-server,
# etcd-client). Tests, benchmarks and CI use it to get a replicated store with synchronous commit
# and automatic failover.
#
#   tools/pg-cluster.sh install      installs the Debian packages if missing
#   tools/pg-cluster.sh start DIR    starts the cluster under DIR; the last stdout line is the store URL
#   tools/pg-cluster.sh leader DIR   prints the postmaster pid of the Patroni leader
#   tools/pg-cluster.sh url DIR      prints the store URL
#   tools/pg-cluster.sh stop DIR     stops every process that start launched for DIR
#
# Everything (data dirs, configs, logs, pid files) lives under DIR. PostgreSQL refuses to run as
# root, so when this script runs as root, etcd, Patroni and PostgreSQL all run as the `postgres`
# user that Debian's package creates, and DIR is handed to that user; otherwise they run as the
# calling user.
#
# Ports, from PG_CLUSTER_PORT_BASE (default 23430; B below), all on 127.0.0.1:
#   PostgreSQL B+1..B+3, Patroni REST API B+11..B+13, etcd clients B+21..B+23, etcd peers B+31..B+33.
# The default lies below Linux's ephemeral range (32768-60999): a port in that range can be taken,
# between the check that it is free and the server's bind, as the source port of any outgoing
# connection, the cluster's own included.
# The superuser is `postgres` with password PG_CLUSTER_PASSWORD (default `plaint`; letters, digits,
# `_` and `-` only). Both are recorded in DIR/cluster.env at the first start and reused afterwards.
# PG_CLUSTER_TIMEOUT (default 90) bounds the wait for a writable leader with a synchronous standby;
# PG_CLUSTER_KEEP_ON_FAILURE=1 leaves the processes running when start fails.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
SCOPE=plaint
DATABASE=plaint
NODES=(1 2 3)

log() { echo "pg-cluster: $*" >&2; }
die() { echo "pg-cluster: error: $*" >&2; exit 1; }

usage() {
    echo "usage: $0 install | start DIR | leader DIR | url DIR | stop DIR" >&2
    exit 2
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# ---------------------------------------------------------------------------------------------
# install

have_binaries() {
    [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/psql" ] \
        && command -v patroni >/dev/null && command -v patronictl >/dev/null \
        && command -v etcd >/dev/null && command -v etcdctl >/dev/null \
        && command -v python3 >/dev/null
}

cmd_install() {
    if have_binaries; then
        log "postgresql 15, patroni and etcd are already installed"
        return 0
    fi
    local had_postgres=0 had_etcd=0
    [ -x "$PG_BIN/postgres" ] && had_postgres=1
    command -v etcd >/dev/null && had_etcd=1

    export DEBIAN_FRONTEND=noninteractive
    log "installing postgresql patroni etcd-server etcd-client"
    as_root apt-get update -qq
    as_root apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        postgresql patroni etcd-server etcd-client >/dev/null
    have_binaries || die "packages installed but $PG_BIN/postgres, patroni or etcd is still missing"

    # The packages may start Debian's own services (the default `main` cluster on 5432, an etcd on
    # 2379). They do not use this script's ports, but they would run on every test machine: stop
    # the ones this install brought in and keep them from starting at boot.
    if [ "$had_postgres" = 0 ] && command -v pg_lsclusters >/dev/null; then
        local ver name
        while read -r ver name _; do
            [ -n "$name" ] || continue
            as_root pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
            if [ -f "/etc/postgresql/$ver/$name/start.conf" ]; then
                echo manual | as_root tee "/etc/postgresql/$ver/$name/start.conf" >/dev/null
            fi
            log "stopped Debian's default cluster $ver/$name and set it to start manually"
        done < <(pg_lsclusters -h 2>/dev/null || true)
    fi
    if [ "$had_etcd" = 0 ]; then
        if [ -d /run/systemd/system ]; then
            as_root systemctl disable --now etcd.service >/dev/null 2>&1 || true
        elif [ -x /etc/init.d/etcd ]; then
            as_root /etc/init.d/etcd stop >/dev/null 2>&1 || true
        fi
    fi
    log "installed"
}

# ---------------------------------------------------------------------------------------------
# shared helpers

# Sets DIR (absolute) from the argument; dies if it is not a directory.
set_dir() {
    [ $# -eq 1 ] && [ -n "$1" ] || usage
    [ -d "$1" ] || die "$1 is not a directory"
    DIR=$(cd "$1" && pwd -P)
}

# Sets PORT_BASE and PASSWORD from DIR/cluster.env.
load_env() {
    [ -f "$DIR/cluster.env" ] || die "$DIR/cluster.env not found: no cluster was started in $DIR"
    PORT_BASE='' PASSWORD=''
    local key value
    while IFS='=' read -r key value; do
        case "$key" in
            PORT_BASE) PORT_BASE=$value ;;
            PASSWORD) PASSWORD=$value ;;
        esac
    done <"$DIR/cluster.env"
    [[ "$PORT_BASE" =~ ^[0-9]+$ ]] || die "$DIR/cluster.env has no valid PORT_BASE"
    [[ "$PASSWORD" =~ ^[A-Za-z0-9_-]+$ ]] || die "$DIR/cluster.env has no valid PASSWORD"
}

pg_port()   { echo $((PORT_BASE + $1)); }
rest_port() { echo $((PORT_BASE + 10 + $1)); }
etcd_port() { echo $((PORT_BASE + 20 + $1)); }
peer_port() { echo $((PORT_BASE + 30 + $1)); }

hosts_list() {
    local n out=
    for n in "${NODES[@]}"; do out+="${out:+,}127.0.0.1:$(pg_port "$n")"; done
    echo "$out"
}

store_url() { echo "postgres://postgres:$PASSWORD@$(hosts_list)/$DATABASE"; }

# URL of the writable node for database DB (psql tries the hosts in turn).
rw_url() { echo "postgres://postgres:$PASSWORD@$(hosts_list)/$1?target_session_attrs=read-write&connect_timeout=3"; }

etcd_endpoints() {
    local n out=
    for n in "${NODES[@]}"; do out+="${out:+,}http://127.0.0.1:$(etcd_port "$n")"; done
    echo "$out"
}

# Prints the pid recorded in DIR/pids/NAME.pid if that process is alive and is the one this
# script launched for DIR (its command line mentions DIR); prints nothing otherwise.
live_pid() {
    local file="$DIR/pids/$1.pid" pid
    [ -f "$file" ] || return 0
    pid=$(head -n1 "$file" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    [ -r "/proc/$pid/cmdline" ] || return 0
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$DIR/"; then
        echo "$pid"
    fi
}

# Pids of postgres processes (postmaster and children) whose working directory is one of the
# data directories under DIR.
leftover_postgres() {
    local p exe cwd
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null || true)
        [ "$exe" = "$PG_BIN/postgres" ] || continue
        cwd=$(readlink "$p/cwd" 2>/dev/null || true)
        case "$cwd" in "$DIR"/node[0-9]/data) echo "${p#/proc/}" ;; esac
    done
}

# Leader name, number of synchronous standbys and number of members, from the first Patroni REST
# API that answers: "NAME SYNC MEMBERS" ("-" for no running leader). Fails when none answers.
cluster_state() {
    local ports=() n
    for n in "${NODES[@]}"; do ports+=("$(rest_port "$n")"); done
    python3 - "${ports[@]}" <<'EOF'
import json, sys, urllib.request
for port in sys.argv[1:]:
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/cluster" % port, timeout=2) as r:
            members = json.load(r).get("members", [])
    except Exception:
        continue
    leader = next((m["name"] for m in members
                   if m.get("role") == "leader" and m.get("state") == "running"), "-")
    sync = sum(1 for m in members
               if m.get("role") == "sync_standby" and m.get("state") in ("running", "streaming"))
    print(leader, sync, len(members))
    sys.exit(0)
sys.exit(1)
EOF
}

# Turns cluster_state's output into words for error messages.
describe_state() {
    if [ -z "$1" ]; then echo "no Patroni REST API answered"; return; fi
    local leader sync members
    read -r leader sync members <<<"$1"
    [ "$leader" != "-" ] || leader=none
    echo "leader: $leader, synchronous standbys: $sync, members registered: $members"
}

psql_rw() {
    local db=$1; shift
    PGCONNECT_TIMEOUT=3 timeout 15 "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$(rw_url "$db")" "$@"
}

# ---------------------------------------------------------------------------------------------
# start

port_in_use() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

write_patroni_config() {
    local n=$1 file="$DIR/node$1.yml" etcd_hosts='' m
    for m in "${NODES[@]}"; do etcd_hosts+="${etcd_hosts:+,}127.0.0.1:$(etcd_port "$m")"; done
    cat >"$file" <<EOF
scope: $SCOPE
namespace: /pg-cluster/
name: node$n

restapi:
  listen: 127.0.0.1:$(rest_port "$n")
  connect_address: 127.0.0.1:$(rest_port "$n")

etcd3:
  hosts: $etcd_hosts

watchdog:
  mode: off

bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    # A crashed primary hands over to the synchronous standby instead of restarting in place.
    primary_start_timeout: 0
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_connections: 50
        max_wal_senders: 10
        max_replication_slots: 10
        shared_buffers: 32MB
        wal_keep_size: 64MB
  initdb:
    - encoding: UTF8
    - locale: C
    - data-checksums
    - auth-host: scram-sha-256
    - auth-local: peer

postgresql:
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $DIR/node$n/data
  bin_dir: $PG_BIN
  pgpass: $DIR/node$n/pgpass
  authentication:
    superuser:
      username: postgres
      password: $PASSWORD
    replication:
      username: replicator
      password: $PASSWORD
  parameters:
    unix_socket_directories: ''
  pg_hba:
    - host all all 127.0.0.1/32 scram-sha-256
    - host replication all 127.0.0.1/32 scram-sha-256
EOF
    chmod 600 "$file"
}

# Runs a command in the background as the server user, in its own session, with output to
# DIR/log/NAME.log, and records its pid in DIR/pids/NAME.pid.
launch() {
    local name=$1; shift
    (
        cd "$DIR"
        exec setsid nohup "${RUN_AS[@]}" env HOME="$DIR" "$@" >>"$DIR/log/$name.log" 2>&1 </dev/null
    ) &
    echo $! >"$DIR/pids/$name.pid"
}

show_logs() {
    local f
    for f in "$DIR"/log/*.log; do
        [ -f "$f" ] || continue
        echo "----- tail of $f -----" >&2
        tail -n 25 "$f" >&2 || true
    done
}

start_failed() {
    echo "pg-cluster: error: $*" >&2
    show_logs
    if [ "${PG_CLUSTER_KEEP_ON_FAILURE:-0}" = 1 ]; then
        log "leaving the processes running (PG_CLUSTER_KEEP_ON_FAILURE=1); stop them with: $0 stop $DIR"
    else
        log "stopping what was started"
        cmd_stop "$DIR" || true
    fi
    exit 1
}

# Fails the start if a process launched for DIR has exited.
check_alive() {
    local name
    for name in "$@"; do
        [ -n "$(live_pid "$name")" ] || start_failed "$name exited (see $DIR/log/$name.log)"
    done
}

cmd_start() {
    [ $# -eq 1 ] && [ -n "$1" ] || usage
    have_binaries || die "postgresql 15, patroni or etcd is missing: run '$0 install' first"
    mkdir -p "$1" || die "cannot create $1"
    set_dir "$1"
    local n name port

    if [ -f "$DIR/cluster.env" ]; then
        load_env
        log "reusing the cluster in $DIR (ports from $DIR/cluster.env)"
    else
        PORT_BASE=${PG_CLUSTER_PORT_BASE:-23430}
        PASSWORD=${PG_CLUSTER_PASSWORD:-plaint}
        [[ "$PORT_BASE" =~ ^[0-9]+$ ]] && [ "$PORT_BASE" -ge 1024 ] && [ "$PORT_BASE" -le 65400 ] \
            || die "PG_CLUSTER_PORT_BASE must be a number between 1024 and 65400"
        [[ "$PASSWORD" =~ ^[A-Za-z0-9_-]+$ ]] \
            || die "PG_CLUSTER_PASSWORD may only hold letters, digits, '_' and '-'"
    fi

    for name in etcd1 etcd2 etcd3 node1 node2 node3; do
        [ -z "$(live_pid "$name")" ] || die "$name is already running for $DIR: run '$0 stop $DIR' first"
    done
    [ -z "$(leftover_postgres)" ] || die "postgres processes from $DIR are still running: run '$0 stop $DIR' first"
    for n in "${NODES[@]}"; do
        for port in "$(pg_port "$n")" "$(rest_port "$n")" "$(etcd_port "$n")" "$(peer_port "$n")"; do
            ! port_in_use "$port" || die "port $port on 127.0.0.1 is already in use (set PG_CLUSTER_PORT_BASE to use other ports)"
        done
    done

    mkdir -p "$DIR/pids" "$DIR/log"
    printf 'PORT_BASE=%s\nPASSWORD=%s\n' "$PORT_BASE" "$PASSWORD" >"$DIR/cluster.env"
    chmod 600 "$DIR/cluster.env"
    for n in "${NODES[@]}"; do
        mkdir -p "$DIR/etcd$n" "$DIR/node$n"
        write_patroni_config "$n"
    done

    RUN_AS=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "user postgres does not exist: run '$0 install' first"
        RUN_AS=(setpriv --reuid=postgres --regid=postgres --init-groups --)
        chown -R postgres:postgres "$DIR"
        chmod 700 "$DIR"
        "${RUN_AS[@]}" test -w "$DIR" -a -x "$DIR" \
            || die "user postgres cannot reach $DIR (a parent directory is not searchable by it); use a directory such as /tmp/NAME"
    fi
    for n in "${NODES[@]}"; do
        [ -d "$DIR/etcd$n" ] && chmod 700 "$DIR/etcd$n"
    done

    local started=$SECONDS timeout=${PG_CLUSTER_TIMEOUT:-90}
    local deadline=$((SECONDS + timeout))

    # etcd: three members on loopback, all started at once.
    local initial_cluster=
    for n in "${NODES[@]}"; do initial_cluster+="${initial_cluster:+,}etcd$n=http://127.0.0.1:$(peer_port "$n")"; done
    for n in "${NODES[@]}"; do
        launch "etcd$n" etcd \
            --name "etcd$n" \
            --data-dir "$DIR/etcd$n" \
            --listen-client-urls "http://127.0.0.1:$(etcd_port "$n")" \
            --advertise-client-urls "http://127.0.0.1:$(etcd_port "$n")" \
            --listen-peer-urls "http://127.0.0.1:$(peer_port "$n")" \
            --initial-advertise-peer-urls "http://127.0.0.1:$(peer_port "$n")" \
            --initial-cluster "$initial_cluster" \
            --initial-cluster-token "pg-cluster-$PORT_BASE" \
            --initial-cluster-state new \
            --logger zap --log-outputs stderr
    done
    log "waiting for etcd on $(etcd_endpoints)"
    until ETCDCTL_API=3 etcdctl --endpoints "$(etcd_endpoints)" --dial-timeout 2s --command-timeout 3s \
            endpoint health >/dev/null 2>&1; do
        check_alive etcd1 etcd2 etcd3
        [ "$SECONDS" -lt "$deadline" ] || start_failed "etcd did not become healthy within ${timeout}s"
        sleep 0.5
    done
    log "etcd is healthy after $((SECONDS - started))s"

    for n in "${NODES[@]}"; do
        launch "node$n" patroni "$DIR/node$n.yml"
    done

    log "waiting for a Patroni leader and a synchronous standby"
    local state leader sync members
    while :; do
        check_alive etcd1 etcd2 etcd3 node1 node2 node3
        state=$(cluster_state 2>/dev/null || true)
        read -r leader sync members <<<"${state:-- 0 0}"
        if [ "$leader" != "-" ] && [ "$sync" -ge 1 ]; then
            break
        fi
        [ "$SECONDS" -lt "$deadline" ] \
            || start_failed "no running leader with a synchronous standby within ${timeout}s ($(describe_state "$state"))"
        sleep 1
    done
    log "leader $leader with $sync synchronous standby after $((SECONDS - started))s"

    # A committed transaction on the leader (it waits for the synchronous standby), then the
    # database for plaint.
    until [ "$(psql_rw postgres -c 'select pg_is_in_recovery(), txid_current() > 0' 2>/dev/null)" = "f|t" ]; do
        check_alive etcd1 etcd2 etcd3 node1 node2 node3
        [ "$SECONDS" -lt "$deadline" ] || start_failed "the leader did not accept a write within ${timeout}s"
        sleep 1
    done
    if [ "$(psql_rw postgres -c "select count(*) from pg_database where datname = '$DATABASE'")" = 0 ]; then
        psql_rw postgres -c "create database $DATABASE" >/dev/null \
            || start_failed "could not create database $DATABASE"
    fi
    # Every node, the asynchronous replica too, serves the database before the URL is handed out.
    for n in "${NODES[@]}"; do
        until PGCONNECT_TIMEOUT=3 timeout 10 "$PG_BIN/psql" -X -q -A -t \
                "postgres://postgres:$PASSWORD@127.0.0.1:$(pg_port "$n")/$DATABASE" -c 'select 1' >/dev/null 2>&1; do
            check_alive etcd1 etcd2 etcd3 node1 node2 node3
            [ "$SECONDS" -lt "$deadline" ] || start_failed "node$n does not serve database $DATABASE within ${timeout}s"
            sleep 0.5
        done
    done
    log "cluster ready in $((SECONDS - started))s; logs in $DIR/log, stop with: $0 stop $DIR"
    store_url
}

# ---------------------------------------------------------------------------------------------
# leader, url

cmd_leader() {
    set_dir "$@"
    load_env
    local state leader pid name running=0
    for name in node1 node2 node3; do [ -z "$(live_pid "$name")" ] || running=1; done
    [ "$running" = 1 ] || die "no Patroni of the cluster in $DIR is running"
    state=$(cluster_state 2>/dev/null) || die "no Patroni REST API answers for $DIR"
    leader=${state%% *}
    [ "$leader" != "-" ] || die "the cluster in $DIR has no running leader right now"
    [ -r "$DIR/$leader/data/postmaster.pid" ] || die "cannot read $DIR/$leader/data/postmaster.pid"
    pid=$(head -n1 "$DIR/$leader/data/postmaster.pid")
    # A killed postmaster stays in the process table as a zombie until init reaps it.
    local proc_state=
    [[ "$pid" =~ ^[0-9]+$ ]] && proc_state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$proc_state" ] && [ "$proc_state" != Z ] && [ "$proc_state" != X ] \
        || die "leader $leader has no running postmaster (postmaster.pid says '$pid')"
    echo "$pid"
}

cmd_url() {
    set_dir "$@"
    load_env
    store_url
}

# ---------------------------------------------------------------------------------------------
# stop

# Sends SIGNAL to the named launched processes, then waits up to SECS seconds for them to exit.
signal_and_wait() {
    local sig=$1 secs=$2 name pid; shift 2
    for name in "$@"; do
        pid=$(live_pid "$name")
        [ -z "$pid" ] || kill "-$sig" "$pid" 2>/dev/null || true
    done
    local end=$((SECONDS + secs))
    while [ "$SECONDS" -lt "$end" ]; do
        local alive=0
        for name in "$@"; do [ -z "$(live_pid "$name")" ] || alive=1; done
        [ "$alive" = 1 ] || return 0
        sleep 0.2
    done
    return 1
}

cmd_stop() {
    [ $# -eq 1 ] && [ -n "$1" ] || usage
    if [ ! -d "$1" ]; then
        log "$1 does not exist: nothing to stop"
        return 0
    fi
    DIR=$(cd "$1" && pwd -P)
    local name pid pids=() started_pids

    # Everything running now, to wait below until init has reaped it too.
    started_pids=$(for name in node1 node2 node3 etcd1 etcd2 etcd3; do live_pid "$name"; done; leftover_postgres)

    # Patroni shuts its PostgreSQL down on SIGTERM. The replicas go first, so that the leader
    # releases them from synchronous replication and no replica races to take over from a
    # leader that is going away; then the leader.
    local leader=- replicas=() n
    if [ -f "$DIR/cluster.env" ]; then
        load_env
        leader=$(cluster_state 2>/dev/null || true)
        leader=${leader%% *}
    fi
    for n in "${NODES[@]}"; do [ "node$n" = "${leader:--}" ] || replicas+=("node$n"); done
    if ! signal_and_wait TERM 30 "${replicas[@]}"; then
        log "Patroni replicas did not exit within 30s; killing them"
        signal_and_wait KILL 5 "${replicas[@]}" || true
    fi
    if ! signal_and_wait TERM 30 node1 node2 node3; then
        log "Patroni did not exit within 30s; killing it"
        signal_and_wait KILL 5 node1 node2 node3 || true
    fi
    mapfile -t pids < <(leftover_postgres)
    if [ "${#pids[@]}" -gt 0 ]; then
        log "killing leftover postgres processes: ${pids[*]}"
        kill -KILL "${pids[@]}" 2>/dev/null || true
        local end=$((SECONDS + 10))
        while [ -n "$(leftover_postgres)" ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.2; done
    fi
    # etcd members stop one at a time: stopped together, each waits out the others' elections.
    for name in etcd1 etcd2 etcd3; do
        if ! signal_and_wait TERM 10 "$name"; then
            log "$name did not exit within 10s; killing it"
            signal_and_wait KILL 5 "$name" || true
        fi
    done

    local left=
    for name in node1 node2 node3 etcd1 etcd2 etcd3; do
        pid=$(live_pid "$name")
        if [ -n "$pid" ]; then left+=" $name($pid)"; else rm -f "$DIR/pids/$name.pid"; fi
    done
    mapfile -t pids < <(leftover_postgres)
    [ "${#pids[@]}" -eq 0 ] || left+=" postgres(${pids[*]})"
    [ -z "$left" ] || die "still running after stop:$left"

    # The servers were reparented to init when start returned; give it a moment to reap them so
    # that they no longer show up in the process table.
    local end=$((SECONDS + 5))
    for pid in $started_pids; do
        while [ -e "/proc/$pid" ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
    done
    log "stopped the cluster in $DIR"
}

# ---------------------------------------------------------------------------------------------

[ $# -ge 1 ] || usage
command=$1; shift
case "$command" in
    install) [ $# -eq 0 ] || usage; cmd_install ;;
    start) cmd_start "$@" ;;
    leader) cmd_leader "$@" ;;
    url) cmd_url "$@" ;;
    stop) cmd_stop "$@" ;;
    *) usage ;;
esac
