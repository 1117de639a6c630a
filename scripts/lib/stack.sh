# A local Laris stack on loopback: PostgreSQL 15, Redis, laris-api (FastCGI), laris-sim (the
# stand-in for Meta's Graph API, on its own nginx port), laris-worker (outbox relay and sender,
# pointed at laris-sim), nginx (with nchan) and laris-events (live events from PostgreSQL to
# nchan's publisher socket), all under one directory. Public functions:
#   laris_stack_start  <stack_dir> <bin_dir>   start what is not running yet, write stack.env
#   laris_stack_stop   <stack_dir>             stop everything (tolerates partial stacks)
#   laris_stack_status <stack_dir>             print what runs; 0 when all of it runs
#   laris_api_restart  <stack_dir> <bin_dir> [wrapper...]   restart laris-api (e.g. under valgrind)
#   laris_api_stop     <stack_dir>             stop laris-api only
# Settings from the environment: LARIS_HTTP_PORT, LARIS_PG_PORT, LARIS_REDIS_PORT,
# LARIS_SIM_PORT (else free
# random ports, remembered in ports.env), LARIS_API_WORKERS (2), LARIS_PG_FSYNC (on|off),
# LARIS_NGINX_WORKERS (1), LARIS_TRUSTED_PROXY (address whose X-Forwarded-For nginx trusts),
# LARIS_API_START_TIMEOUT / LARIS_API_STOP_TIMEOUT (seconds). Other LARIS_* pass to laris-api.
# shellcheck shell=bash

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LS_PG_BIN="${LARIS_PG_BIN:-/usr/lib/postgresql/15/bin}"
LS_NGINX_TEMPLATE="$LARIS_ROOT/nginx/laris.conf.in"

# The WhatsApp platform app (webhook signature, handshake token). Local and test stacks use the
# shared fixtures' app secret so the recorded fixtures verify; set both for a real Meta app.
export LARIS_META_APP_SECRET="${LARIS_META_APP_SECRET:-laris-fixture-app-secret}"
export LARIS_META_VERIFY_TOKEN="${LARIS_META_VERIFY_TOKEN:-laris-fixture-verify-token}"

# ---------------------------------------------------------------------------------------------
# Paths and ports

# laris_stack_paths <stack_dir> [create]: sets the LS_* path globals (absolute paths).
laris_stack_paths() {
    local dir=$1
    if [[ "${2:-}" == create ]]; then
        mkdir -p "$dir"
    fi
    [[ -d "$dir" ]] || return 1
    LS_DIR=$(cd "$dir" && pwd -P)
    LS_PG_DIR="$LS_DIR/pg"
    LS_RUN_DIR="$LS_DIR/run"
    LS_LOG_DIR="$LS_DIR/log"
    LS_REDIS_DIR="$LS_DIR/redis"
    LS_NGINX_DIR="$LS_DIR/nginx"
    LS_PORTS_ENV="$LS_DIR/ports.env"
    LS_STACK_ENV="$LS_DIR/stack.env"
    LS_API_SOCKET="$LS_RUN_DIR/laris-api.sock"
    LS_API_PIDFILE="$LS_RUN_DIR/laris-api.pid"
    LS_API_SPAWN_PIDFILE="$LS_RUN_DIR/laris-api.spawn.pid"
    LS_SIM_SOCKET="$LS_RUN_DIR/laris-sim.sock"
    LS_SIM_PIDFILE="$LS_RUN_DIR/laris-sim.pid"
    LS_SIM_SPAWN_PIDFILE="$LS_RUN_DIR/laris-sim.spawn.pid"
    LS_WORKER_PIDFILE="$LS_RUN_DIR/laris-worker.pid"
    LS_WORKER_SPAWN_PIDFILE="$LS_RUN_DIR/laris-worker.spawn.pid"
    LS_REDIS_PIDFILE="$LS_RUN_DIR/redis.pid"
    LS_NGINX_CONF="$LS_NGINX_DIR/nginx.conf"
    LS_NGINX_PIDFILE="$LS_NGINX_DIR/nginx.pid"
    LS_MEDIA_DIR="${LARIS_MEDIA_DIR:-$LS_DIR/media}"
    LS_EVENTS_PIDFILE="$LS_RUN_DIR/laris-events.pid"
    LS_EVENTS_SPAWN_PIDFILE="$LS_RUN_DIR/laris-events.spawn.pid"
    LS_NCHAN_SOCKET="$LS_NGINX_DIR/nchan-pub.sock"
}

laris_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# laris_random_free_port <taken...>: a free loopback port in 20000-32767 not among <taken>
# (below Linux's range for outgoing connections, so a closing connection never holds it).
laris_random_free_port() {
    local port tries=200
    while ((tries-- > 0)); do
        port=$(((RANDOM << 15 | RANDOM) % 12768 + 20000))
        [[ " $* " == *" $port "* ]] && continue
        laris_port_in_use "$port" && continue
        printf '%s\n' "$port"
        return 0
    done
    laris_die "no free loopback port found"
}

# laris_choose_port <name> <override> <saved> <ours_running> <taken...>: the override when
# given; the saved port when our service holds it or it is free; else a new free port.
laris_choose_port() {
    local name=$1 override=$2 saved=$3 ours=$4
    shift 4
    if [[ -n "$override" ]]; then
        [[ "$override" =~ ^[0-9]+$ ]] || laris_die "$name must be a port number, got '$override'"
        printf '%s\n' "$override"
    elif [[ -n "$saved" ]] && { [[ "$ours" == yes ]] || ! laris_port_in_use "$saved"; }; then
        printf '%s\n' "$saved"
    else
        [[ -n "$saved" ]] && laris_warn "port $saved ($name) is taken by another program"
        laris_random_free_port "$@"
    fi
}

# Reads ports.env (if any) and picks LS_HTTP_PORT, LS_PG_PORT, LS_REDIS_PORT, LS_SIM_PORT;
# writes ports.env.
laris_stack_ports() {
    local -A saved=()
    local key value
    if [[ -f "$LS_PORTS_ENV" ]]; then
        while IFS='=' read -r key value; do
            [[ "$key" =~ ^LARIS_[A-Z_]+_PORT$ && "$value" =~ ^[0-9]+$ ]] && saved[$key]=$value
        done <"$LS_PORTS_ENV"
    fi
    local pg_up=no redis_up=no nginx_up=no
    laris_pg_running && pg_up=yes
    laris_redis_pid >/dev/null && redis_up=yes
    laris_nginx_pid >/dev/null && nginx_up=yes

    LS_PG_PORT=$(laris_choose_port LARIS_PG_PORT "${LARIS_PG_PORT:-}" \
        "${saved[LARIS_PG_PORT]:-}" "$pg_up")
    LS_REDIS_PORT=$(laris_choose_port LARIS_REDIS_PORT "${LARIS_REDIS_PORT:-}" \
        "${saved[LARIS_REDIS_PORT]:-}" "$redis_up" "$LS_PG_PORT")
    LS_HTTP_PORT=$(laris_choose_port LARIS_HTTP_PORT "${LARIS_HTTP_PORT:-}" \
        "${saved[LARIS_HTTP_PORT]:-}" "$nginx_up" "$LS_PG_PORT" "$LS_REDIS_PORT")
    # nginx also listens on the simulator's port.
    LS_SIM_PORT=$(laris_choose_port LARIS_SIM_PORT "${LARIS_SIM_PORT:-}" \
        "${saved[LARIS_SIM_PORT]:-}" "$nginx_up" "$LS_PG_PORT" "$LS_REDIS_PORT" "$LS_HTTP_PORT")

    printf 'LARIS_HTTP_PORT=%s\nLARIS_PG_PORT=%s\nLARIS_REDIS_PORT=%s\nLARIS_SIM_PORT=%s\n' \
        "$LS_HTTP_PORT" "$LS_PG_PORT" "$LS_REDIS_PORT" "$LS_SIM_PORT" >"$LS_PORTS_ENV"
}

# Loads the ports a stack was started with (for stop/status/restart); fails without ports.env.
laris_stack_saved_ports() {
    LS_HTTP_PORT='' LS_PG_PORT='' LS_REDIS_PORT='' LS_SIM_PORT=''
    [[ -f "$LS_PORTS_ENV" ]] || return 1
    local key value
    while IFS='=' read -r key value; do
        case "$key" in
        LARIS_HTTP_PORT) LS_HTTP_PORT=$value ;;
        LARIS_PG_PORT) LS_PG_PORT=$value ;;
        LARIS_REDIS_PORT) LS_REDIS_PORT=$value ;;
        LARIS_SIM_PORT) LS_SIM_PORT=$value ;;
        esac
    done <"$LS_PORTS_ENV"
}

# shellcheck disable=SC2034 # read indirectly by laris_stack_write_env
laris_stack_urls() {
    LS_PG_HOST=127.0.0.1
    LS_URL="http://127.0.0.1:$LS_HTTP_PORT"
    # laris-api talks to PostgreSQL over its Unix socket: cheaper per round trip than TCP.
    LS_APP_URL="postgresql://laris_app@/laris?host=$LS_RUN_DIR&port=$LS_PG_PORT"
    LS_WORKER_DB_URL="postgresql://laris_worker@/laris?host=$LS_RUN_DIR&port=$LS_PG_PORT"
    LS_OWNER_URL="postgresql://laris_owner@127.0.0.1:$LS_PG_PORT/laris"
    LS_SUPER_URL="postgresql://postgres@127.0.0.1:$LS_PG_PORT/laris"
    LS_REDIS_URL="redis://127.0.0.1:$LS_REDIS_PORT/0"
    LS_SIM_URL="http://127.0.0.1:$LS_SIM_PORT"
}

# Unix socket paths are limited to 107 bytes; fail early with a clear message.
laris_stack_check_socket_paths() {
    local path
    for path in "$LS_API_SOCKET" "$LS_SIM_SOCKET" "$LS_RUN_DIR/.s.PGSQL.$LS_PG_PORT.lock"; do
        ((${#path} <= 107)) ||
            laris_die "socket path too long (${#path} > 107 bytes): $path; use a shorter stack dir"
    done
}

laris_stack_write_env() {
    local tmp="$LS_STACK_ENV.tmp" pair source
    {
        printf '# Written by scripts/lib/stack.sh: source it to talk to the stack in %s\n' "$LS_DIR"
        for pair in LARIS_URL=LS_URL DATABASE_URL=LS_APP_URL LARIS_DATABASE_OWNER_URL=LS_OWNER_URL \
            LARIS_DATABASE_SUPER_URL=LS_SUPER_URL REDIS_URL=LS_REDIS_URL \
            LARIS_API_SOCKET=LS_API_SOCKET LARIS_API_PIDFILE=LS_API_PIDFILE \
            LARIS_STACK_DIR=LS_DIR PGHOST=LS_PG_HOST PGPORT=LS_PG_PORT \
            LARIS_META_VERIFY_TOKEN=LARIS_META_VERIFY_TOKEN LARIS_SIM_URL=LS_SIM_URL \
            LARIS_MEDIA_DIR=LS_MEDIA_DIR; do
            source=${pair#*=}
            printf 'export %s=%q\n' "${pair%%=*}" "${!source}"
        done
    } >"$tmp"
    mv -f "$tmp" "$LS_STACK_ENV"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

# Runs a PostgreSQL server program as the cluster's owner (postgres refuses to run as root).
laris_pg_as_owner() {
    local prog="$LS_PG_BIN/$1"
    shift
    if laris_is_root; then
        (cd / && runuser -u postgres -- "$prog" "$@")
    else
        "$prog" "$@"
    fi
}

laris_pg_running() {
    [[ -f "$LS_PG_DIR/PG_VERSION" ]] || return 1
    laris_pg_as_owner pg_ctl -D "$LS_PG_DIR" status >/dev/null 2>&1
}

laris_psql() {
    PGOPTIONS='-c client_min_messages=warning' "$LS_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$LS_PG_PORT" -U postgres "$@"
}

# When root, the postgres user must be able to reach the stack dir: grant search (x) on any
# ancestor directory that denies it.
laris_pg_grant_traverse() {
    laris_is_root || return 0
    local dir=$LS_DIR
    while [[ -n "$dir" && "$dir" != / ]]; do
        if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
            laris_warn "granting search permission (o+x) on $dir so postgres can reach its data"
            chmod o+x "$dir"
        fi
        dir=${dir%/*}
    done
}

# Creates the data directory once and (re)writes laris.conf, which postgresql.conf includes.
laris_pg_init() {
    mkdir -p "$LS_PG_DIR"
    touch "$LS_LOG_DIR/postgres.log"
    if laris_is_root; then
        laris_pg_grant_traverse
        chown postgres:postgres "$LS_PG_DIR" "$LS_RUN_DIR" "$LS_LOG_DIR/postgres.log"
    fi
    chmod 700 "$LS_PG_DIR"
    if [[ ! -f "$LS_PG_DIR/PG_VERSION" ]]; then
        laris_info "initdb $LS_PG_DIR"
        laris_pg_as_owner initdb -D "$LS_PG_DIR" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$LS_LOG_DIR/initdb.log" 2>&1 ||
            { cat "$LS_LOG_DIR/initdb.log" >&2; laris_die "initdb failed"; }
        printf "\ninclude = 'laris.conf'\n" >>"$LS_PG_DIR/postgresql.conf"
    fi

    local fsync=${LARIS_PG_FSYNC:-on}
    [[ "$fsync" == on || "$fsync" == off ]] || laris_die "LARIS_PG_FSYNC must be on or off"
    {
        printf '# Written by scripts/lib/stack.sh on every start.\n'
        printf "listen_addresses = '127.0.0.1'\n"
        printf 'port = %s\n' "$LS_PG_PORT"
        printf "unix_socket_directories = '%s'\n" "$LS_RUN_DIR"
        printf 'max_connections = 100\nshared_buffers = 256MB\nwork_mem = 8MB\n'
        printf "timezone = 'UTC'\nlog_timezone = 'UTC'\n"
        printf "log_min_duration_statement = 1000\nlog_line_prefix = '%%m [%%p] %%q%%u@%%d '\n"
        printf 'fsync = %s\nfull_page_writes = %s\n' "$fsync" "$fsync"
        [[ "$fsync" == off ]] && printf 'synchronous_commit = off\n'
    } >"$LS_PG_DIR/laris.conf"
    if laris_is_root; then
        chown postgres:postgres "$LS_PG_DIR/laris.conf" "$LS_PG_DIR/postgresql.conf"
    fi
}

# Creates (idempotently) the roles, the database and the pgTAP extension.
laris_pg_bootstrap() {
    laris_psql -d postgres <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_owner') THEN
        CREATE ROLE laris_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_app') THEN
        CREATE ROLE laris_app LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'laris_worker') THEN
        CREATE ROLE laris_worker LOGIN;
    END IF;
END
$$;
ALTER ROLE laris_owner LOGIN NOSUPERUSER BYPASSRLS;
ALTER ROLE laris_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
ALTER ROLE laris_worker LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
SELECT 'CREATE DATABASE laris OWNER laris_owner ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'laris')
\gexec
SQL
    laris_psql -d laris -c 'CREATE EXTENSION IF NOT EXISTS pgtap'
}

laris_pg_start() {
    if laris_pg_running; then
        return 0
    fi
    laris_pg_init
    laris_info "starting PostgreSQL on 127.0.0.1:$LS_PG_PORT"
    laris_pg_as_owner pg_ctl -D "$LS_PG_DIR" -l "$LS_LOG_DIR/postgres.log" -w -t 60 -s start ||
        { tail -n 30 "$LS_LOG_DIR/postgres.log" >&2; laris_die "PostgreSQL did not start"; }
    LS_BACKEND_STARTED=yes
}

laris_pg_stop() {
    laris_pg_running || return 0
    laris_info "stopping PostgreSQL"
    laris_pg_as_owner pg_ctl -D "$LS_PG_DIR" -m fast -w -t 60 -s stop ||
        laris_pg_as_owner pg_ctl -D "$LS_PG_DIR" -m immediate -w -t 30 -s stop ||
        laris_warn "PostgreSQL in $LS_PG_DIR did not stop"
}

# ---------------------------------------------------------------------------------------------
# Redis

laris_redis_pid() { laris_running_pid "$LS_REDIS_PIDFILE" redis-server; }

laris_redis_ping() {
    [[ "$(redis-cli -h 127.0.0.1 -p "$LS_REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

laris_redis_start() {
    if laris_redis_pid >/dev/null; then
        return 0
    fi
    mkdir -p "$LS_REDIS_DIR"
    cat >"$LS_REDIS_DIR/redis.conf" <<EOF
# Written by scripts/lib/stack.sh on every start.
bind 127.0.0.1
port $LS_REDIS_PORT
protected-mode yes
daemonize yes
dir "$LS_REDIS_DIR"
pidfile "$LS_REDIS_PIDFILE"
logfile "$LS_LOG_DIR/redis.log"
appendonly no
save ""
EOF
    laris_info "starting Redis on 127.0.0.1:$LS_REDIS_PORT"
    redis-server "$LS_REDIS_DIR/redis.conf" ||
        { tail -n 20 "$LS_LOG_DIR/redis.log" >&2; laris_die "Redis did not start"; }
    laris_wait_until 10 laris_redis_ping ||
        { tail -n 20 "$LS_LOG_DIR/redis.log" >&2; laris_die "Redis does not answer"; }
    LS_BACKEND_STARTED=yes
}

laris_redis_stop() {
    local pid
    pid=$(laris_redis_pid) || { rm -f "$LS_REDIS_PIDFILE"; return 0; }
    laris_info "stopping Redis"
    if [[ -z "${LS_REDIS_PORT:-}" ]] ||
        ! redis-cli -h 127.0.0.1 -p "$LS_REDIS_PORT" shutdown nosave >/dev/null 2>&1; then
        kill -TERM "$pid" 2>/dev/null || true
    fi
    laris_wait_pid_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$LS_REDIS_PIDFILE"
}

# ---------------------------------------------------------------------------------------------
# laris-api (prefork FastCGI master; it writes its own pid file and creates the socket)

laris_api_pid() {
    laris_running_pid "$LS_API_PIDFILE" laris-api ||
        laris_running_pid "$LS_API_SPAWN_PIDFILE" laris-api
}

laris_api_migrate() {
    local admin="$1/laris-admin"
    [[ -x "$admin" ]] || laris_die "$admin not found: build first (scripts/lib/build.sh)"
    laris_info "migrating database (laris-admin migrate)"
    LARIS_DATABASE_OWNER_URL=$LS_OWNER_URL "$admin" migrate 2>&1 |
        tee -a "$LS_LOG_DIR/laris-admin.log" || laris_die "laris-admin migrate failed"
}

# laris_api_launch <bin_dir> [wrapper...]: starts laris-api in its own session and waits for
# its socket.
# The secretbox key for secrets at rest (WhatsApp access tokens, app secrets): made once per
# stack and kept with it (a new key would leave the stored secrets unreadable). A
# LARIS_SECRET_KEY already in the environment wins.
laris_secret_key_ensure() {
    local file="$LS_DIR/secret.key"
    if [[ ! -s "$file" ]]; then
        (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$file")
    fi
    export LARIS_SECRET_KEY="${LARIS_SECRET_KEY:-$(<"$file")}"
}

laris_api_launch() {
    local bin_dir=$1
    shift
    laris_secret_key_ensure
    local api="$bin_dir/laris-api" timeout=${LARIS_API_START_TIMEOUT:-10}
    [[ -x "$api" ]] || laris_die "$api not found: build first (scripts/lib/build.sh)"
    (($# > 0)) && timeout=${LARIS_API_START_TIMEOUT:-90} # valgrind and friends are slow
    rm -f "$LS_API_SOCKET" "$LS_API_PIDFILE" "$LS_API_SPAWN_PIDFILE"

    laris_info "starting laris-api (${LARIS_API_WORKERS:-2} workers)${1:+ under $1}"
    printf '\n--- %s starting %s\n' "$(date -u +%FT%TZ)" "$*${*:+ }$api" \
        >>"$LS_LOG_DIR/laris-api.log"
    (
        cd "$LARIS_ROOT" || exit 1
        exec setsid env -u LARIS_DATABASE_OWNER_URL -u LARIS_DATABASE_SUPER_URL \
            DATABASE_URL="$LS_APP_URL" REDIS_URL="$LS_REDIS_URL" \
            LARIS_API_SOCKET="$LS_API_SOCKET" LARIS_API_PIDFILE="$LS_API_PIDFILE" \
            LARIS_API_WORKERS="${LARIS_API_WORKERS:-2}" \
            LARIS_MEDIA_DIR="$LS_MEDIA_DIR" LARIS_GRAPH_URL="${LARIS_GRAPH_URL:-$LS_SIM_URL}" \
            "$@" "$api" >>"$LS_LOG_DIR/laris-api.log" 2>&1 </dev/null
    ) &
    local spawn=$!
    printf '%s\n' "$spawn" >"$LS_API_SPAWN_PIDFILE"

    laris_wait_until "$timeout" laris_api_socket_or_exit "$spawn" || true
    if laris_pid_dead "$spawn"; then
        tail -n 40 "$LS_LOG_DIR/laris-api.log" >&2
        rm -f "$LS_API_SOCKET" "$LS_API_SPAWN_PIDFILE"
        laris_die "laris-api exited during start (log: $LS_LOG_DIR/laris-api.log)"
    fi
    if [[ ! -S "$LS_API_SOCKET" ]]; then
        tail -n 40 "$LS_LOG_DIR/laris-api.log" >&2
        laris_api_kill_group "$spawn" 5
        rm -f "$LS_API_SPAWN_PIDFILE"
        laris_die "laris-api did not create $LS_API_SOCKET within ${timeout}s"
    fi
    laris_wait_until 3 test -s "$LS_API_PIDFILE" ||
        laris_warn "laris-api did not write $LS_API_PIDFILE; stop falls back to the spawn pid"
}

# The socket is there, or the process is gone (either ends the wait).
laris_api_socket_or_exit() { [[ -S "$LS_API_SOCKET" ]] || laris_pid_dead "$1"; }

# laris_api_kill_group <pid> <seconds>: SIGTERM the master, wait for its whole process group
# (workers included) to exit, SIGKILL what is left.
laris_api_kill_group() {
    local pid=$1 timeout=$2 name=${3:-laris-api}
    kill -TERM "$pid" 2>/dev/null || true
    if ! laris_wait_until "$timeout" laris_group_gone "$pid"; then
        laris_warn "$name (pid $pid) did not exit in ${timeout}s; killing it"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        laris_wait_until 5 laris_group_gone "$pid" || true
    fi
}

# No live (non-zombie) process is left in process group <pgid>, nor the process <pgid>.
laris_group_gone() {
    local pgid=$1
    laris_pid_dead "$pgid" || return 1
    ! ps -e -o pgid=,stat= | awk -v g="$pgid" '$1 == g && $2 !~ /^Z/ { found = 1 }
        END { exit !found }'
}

laris_api_stop_current() {
    local pid timeout=${LARIS_API_STOP_TIMEOUT:-60}
    if pid=$(laris_api_pid); then
        laris_info "stopping laris-api (pid $pid)"
        laris_api_kill_group "$pid" "$timeout"
    fi
    rm -f "$LS_API_SOCKET" "$LS_API_PIDFILE" "$LS_API_SPAWN_PIDFILE"
}

# The running laris-api is the binary in <bin_dir>, not older than it and its backends did
# not just restart (else it must be restarted).
laris_api_current() {
    local bin_dir=$1 pid
    pid=$(laris_api_pid) || return 1
    [[ "${LS_BACKEND_STARTED:-no}" == no ]] || return 1
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$bin_dir/laris-api" ]] || return 1
    [[ ! "$bin_dir/laris-api" -nt "$LS_API_SPAWN_PIDFILE" ]]
}

# ---------------------------------------------------------------------------------------------
# laris-sim (one FastCGI worker holding the simulated Graph API's state in memory)

laris_sim_pid() {
    laris_running_pid "$LS_SIM_PIDFILE" laris-sim ||
        laris_running_pid "$LS_SIM_SPAWN_PIDFILE" laris-sim
}

laris_sim_launch() {
    local sim="$1/laris-sim"
    [[ -x "$sim" ]] || laris_die "$sim not found: build first (scripts/lib/build.sh)"
    rm -f "$LS_SIM_SOCKET" "$LS_SIM_PIDFILE" "$LS_SIM_SPAWN_PIDFILE"
    laris_info "starting laris-sim"
    printf '\n--- %s starting %s\n' "$(date -u +%FT%TZ)" "$sim" >>"$LS_LOG_DIR/laris-sim.log"
    (
        cd "$LARIS_ROOT" || exit 1
        exec setsid env LARIS_SIM_SOCKET="$LS_SIM_SOCKET" LARIS_SIM_PIDFILE="$LS_SIM_PIDFILE" \
            "$sim" >>"$LS_LOG_DIR/laris-sim.log" 2>&1 </dev/null
    ) &
    printf '%s\n' "$!" >"$LS_SIM_SPAWN_PIDFILE"
    if ! laris_wait_until 10 test -S "$LS_SIM_SOCKET"; then
        tail -n 20 "$LS_LOG_DIR/laris-sim.log" >&2
        laris_die "laris-sim did not create $LS_SIM_SOCKET within 10s"
    fi
}

laris_sim_stop_current() {
    local pid
    if pid=$(laris_sim_pid); then
        laris_info "stopping laris-sim (pid $pid)"
        laris_api_kill_group "$pid" 10 laris-sim
    fi
    rm -f "$LS_SIM_SOCKET" "$LS_SIM_PIDFILE" "$LS_SIM_SPAWN_PIDFILE"
}

# The running laris-sim is the binary in <bin_dir> and not older than it.
laris_sim_current() {
    local pid
    pid=$(laris_sim_pid) || return 1
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$1/laris-sim" ]] || return 1
    [[ ! "$1/laris-sim" -nt "$LS_SIM_SPAWN_PIDFILE" ]]
}

# ---------------------------------------------------------------------------------------------
# laris-worker (one process: outbox relay and sender; sends to laris-sim, never to Meta)

laris_worker_pid() {
    laris_running_pid "$LS_WORKER_PIDFILE" laris-worker ||
        laris_running_pid "$LS_WORKER_SPAWN_PIDFILE" laris-worker
}

laris_worker_launch() {
    local worker="$1/laris-worker"
    [[ -x "$worker" ]] || laris_die "$worker not found: build first (scripts/lib/build.sh)"
    laris_secret_key_ensure
    rm -f "$LS_WORKER_PIDFILE" "$LS_WORKER_SPAWN_PIDFILE"
    laris_info "starting laris-worker"
    printf '\n--- %s starting %s\n' "$(date -u +%FT%TZ)" "$worker" >>"$LS_LOG_DIR/laris-worker.log"
    (
        cd "$LARIS_ROOT" || exit 1
        exec setsid env DATABASE_URL="$LS_APP_URL" LARIS_WORKER_DATABASE_URL="$LS_WORKER_DB_URL" \
            REDIS_URL="$LS_REDIS_URL" LARIS_GRAPH_URL="${LARIS_GRAPH_URL:-$LS_SIM_URL}" \
            LARIS_WORKER_PIDFILE="$LS_WORKER_PIDFILE" \
            LARIS_MEDIA_DIR="$LS_MEDIA_DIR" \
            "$worker" >>"$LS_LOG_DIR/laris-worker.log" 2>&1 </dev/null
    ) &
    printf '%s\n' "$!" >"$LS_WORKER_SPAWN_PIDFILE"
    if ! laris_wait_until 10 test -s "$LS_WORKER_PIDFILE"; then
        tail -n 20 "$LS_LOG_DIR/laris-worker.log" >&2
        laris_die "laris-worker did not start within 10s"
    fi
}

laris_worker_stop_current() {
    local pid
    if pid=$(laris_worker_pid); then
        laris_info "stopping laris-worker (pid $pid)"
        laris_api_kill_group "$pid" 30 laris-worker
    fi
    rm -f "$LS_WORKER_PIDFILE" "$LS_WORKER_SPAWN_PIDFILE"
}

# The running laris-worker is the binary in <bin_dir>, not older than it, and its backends did
# not just restart.
laris_worker_current() {
    local pid
    pid=$(laris_worker_pid) || return 1
    [[ "${LS_BACKEND_STARTED:-no}" == no ]] || return 1
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$1/laris-worker" ]] || return 1
    [[ ! "$1/laris-worker" -nt "$LS_WORKER_SPAWN_PIDFILE" ]]
}

# ---------------------------------------------------------------------------------------------
# laris-events (the live-event publisher: PostgreSQL NOTIFY -> nchan on nginx's Unix socket)

laris_events_pid() {
    laris_running_pid "$LS_EVENTS_PIDFILE" laris-events ||
        laris_running_pid "$LS_EVENTS_SPAWN_PIDFILE" laris-events
}

laris_events_launch() {
    local events="$1/laris-events"
    [[ -x "$events" ]] || laris_die "$events not found: build first (scripts/lib/build.sh)"
    rm -f "$LS_EVENTS_PIDFILE" "$LS_EVENTS_SPAWN_PIDFILE"
    laris_info "starting laris-events"
    printf '\n--- %s starting %s\n' "$(date -u +%FT%TZ)" "$events" >>"$LS_LOG_DIR/laris-events.log"
    # At a lower priority: on a machine short of CPU, events wait a little rather than slow
    # the webhook path and the sender.
    (
        cd "$LARIS_ROOT" || exit 1
        exec setsid nice -n 10 env LARIS_WORKER_DATABASE_URL="$LS_WORKER_DB_URL" \
            LARIS_NCHAN_SOCKET="$LS_NCHAN_SOCKET" LARIS_EVENTS_PIDFILE="$LS_EVENTS_PIDFILE" \
            REDIS_URL="$LS_REDIS_URL" "$events" >>"$LS_LOG_DIR/laris-events.log" 2>&1 </dev/null
    ) &
    printf '%s\n' "$!" >"$LS_EVENTS_SPAWN_PIDFILE"
    if ! laris_wait_until 10 test -s "$LS_EVENTS_PIDFILE"; then
        tail -n 20 "$LS_LOG_DIR/laris-events.log" >&2
        laris_die "laris-events did not start within 10s"
    fi
}

laris_events_stop_current() {
    local pid
    if pid=$(laris_events_pid); then
        laris_info "stopping laris-events (pid $pid)"
        laris_api_kill_group "$pid" 10 laris-events
    fi
    rm -f "$LS_EVENTS_PIDFILE" "$LS_EVENTS_SPAWN_PIDFILE"
}

# The running laris-events is the binary in <bin_dir>, not older than it, and its backends did
# not just restart.
laris_events_current() {
    local pid
    pid=$(laris_events_pid) || return 1
    [[ "${LS_BACKEND_STARTED:-no}" == no ]] || return 1
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$1/laris-events" ]] || return 1
    [[ ! "$1/laris-events" -nt "$LS_EVENTS_SPAWN_PIDFILE" ]]
}

# ---------------------------------------------------------------------------------------------
# nginx

laris_nginx_pid() { laris_running_pid "$LS_NGINX_PIDFILE" nginx; }

laris_nginx() { nginx -e "$LS_NGINX_DIR/error.log" -p "$LS_NGINX_DIR/" -c "$LS_NGINX_CONF" "$@"; }

laris_sed_escape() { printf '%s' "$1" | sed -e 's/[|&\\]/\\&/g'; }

# Writes nginx.conf from the template to <path>.
laris_nginx_render() {
    local out=$1 user_line='' real_ip=''
    [[ -f "$LS_NGINX_TEMPLATE" ]] || laris_die "missing $LS_NGINX_TEMPLATE"
    laris_is_root && user_line='user root;'
    if [[ -n "${LARIS_TRUSTED_PROXY:-}" ]]; then
        real_ip="set_real_ip_from $LARIS_TRUSTED_PROXY; real_ip_header X-Forwarded-For;"
        real_ip+=" real_ip_recursive on;"
    fi
    sed -e "s|@HTTP_PORT@|$(laris_sed_escape "$LS_HTTP_PORT")|g" \
        -e "s|@API_SOCKET@|$(laris_sed_escape "$LS_API_SOCKET")|g" \
        -e "s|@SIM_PORT@|$(laris_sed_escape "$LS_SIM_PORT")|g" \
        -e "s|@SIM_SOCKET@|$(laris_sed_escape "$LS_SIM_SOCKET")|g" \
        -e "s|@ROOT@|$(laris_sed_escape "$LARIS_ROOT")|g" \
        -e "s|@NGINX_DIR@|$(laris_sed_escape "$LS_NGINX_DIR")|g" \
        -e "s|@WORKER_PROCESSES@|$(laris_sed_escape "${LARIS_NGINX_WORKERS:-1}")|g" \
        -e "s|@USER_LINE@|$(laris_sed_escape "$user_line")|g" \
        -e "s|@REAL_IP@|$(laris_sed_escape "$real_ip")|g" \
        -e "s|@MEDIA_DIR@|$(laris_sed_escape "$LS_MEDIA_DIR")|g" \
        "$LS_NGINX_TEMPLATE" >"$out"
    if grep -n '@[A-Z_]*@' "$out" >&2; then
        laris_die "unreplaced placeholders in $out"
    fi
}

laris_nginx_start() {
    mkdir -p "$LS_NGINX_DIR"
    local new="$LS_NGINX_CONF.new" pid
    laris_nginx_render "$new"
    if pid=$(laris_nginx_pid) && cmp -s "$new" "$LS_NGINX_CONF"; then
        rm -f "$new"
        return 0
    fi
    mv -f "$new" "$LS_NGINX_CONF"
    laris_nginx -t -q || laris_die "nginx rejects $LS_NGINX_CONF (see above)"
    if [[ -n "${pid:-}" ]]; then
        laris_info "reloading nginx (configuration changed)"
        laris_nginx -s reload
        return 0
    fi
    laris_info "starting nginx on 127.0.0.1:$LS_HTTP_PORT"
    laris_nginx || { tail -n 20 "$LS_NGINX_DIR/error.log" >&2; laris_die "nginx did not start"; }
    laris_wait_until 10 laris_nginx_pid >/dev/null || laris_die "nginx wrote no pid file"
}

laris_nginx_stop() {
    local pid
    pid=$(laris_nginx_pid) || { rm -f "$LS_NGINX_PIDFILE"; return 0; }
    laris_info "stopping nginx"
    if [[ ! -f "$LS_NGINX_CONF" ]] || ! laris_nginx -s quit 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
    fi
    if ! laris_wait_pid_gone "$pid" 10; then
        kill -TERM "$pid" 2>/dev/null || true
        laris_wait_pid_gone "$pid" 5 || kill -KILL -- "-$pid" 2>/dev/null ||
            kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$LS_NGINX_PIDFILE"
}

# Points laris-sim's webhooks (inbound messages, statuses) at nginx's /webhooks/whatsapp,
# signed with the platform app's secret, so a stack plays Meta end to end without a test
# setting it; tests that need another target still PUT /_sim/config (a /_sim/reset forgets it).
laris_sim_configure() {
    local secret=${LARIS_META_APP_SECRET//\\/\\\\} url="$LS_URL/webhooks/whatsapp" code
    secret=${secret//\"/\\\"}
    # The body goes through stdin: a secret on curl's command line would show in ps.
    code=$(printf '{"webhook_url":"%s","app_secret":"%s"}' "$url" "$secret" |
        curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X PUT \
            -H 'Content-Type: application/json' --data-binary @- "$LS_SIM_URL/_sim/config") ||
        laris_die "cannot reach laris-sim at $LS_SIM_URL"
    [[ "$code" == 2* ]] || laris_die "laris-sim refused its webhook configuration ($code)"
}

# ---------------------------------------------------------------------------------------------
# Public functions

laris_stack_start() {
    local stack_dir=${1:?usage: laris_stack_start <stack_dir> <bin_dir>}
    local bin_dir=${2:?usage: laris_stack_start <stack_dir> <bin_dir>}
    [[ -d "$bin_dir" ]] || laris_die "binary dir $bin_dir does not exist: build first"
    bin_dir=$(cd "$bin_dir" && pwd -P)
    laris_stack_paths "$stack_dir" create
    mkdir -p "$LS_RUN_DIR" "$LS_LOG_DIR" "$LS_REDIS_DIR" "$LS_NGINX_DIR" "$LS_MEDIA_DIR"
    laris_stack_ports
    laris_stack_urls
    laris_stack_check_socket_paths
    LS_BACKEND_STARTED=no

    laris_pg_start
    laris_pg_bootstrap
    laris_redis_start
    if ! laris_api_current "$bin_dir"; then
        laris_api_stop_current
        laris_api_migrate "$bin_dir"
        laris_api_launch "$bin_dir"
    fi
    if ! laris_sim_current "$bin_dir"; then
        laris_sim_stop_current
        laris_sim_launch "$bin_dir"
    fi
    if ! laris_worker_current "$bin_dir"; then
        laris_worker_stop_current
        laris_worker_launch "$bin_dir"
    fi
    laris_nginx_start
    laris_sim_configure
    if ! laris_events_current "$bin_dir"; then
        laris_events_stop_current
        laris_events_launch "$bin_dir"
    fi
    laris_stack_write_env

    laris_info "stack running in $LS_DIR"
    printf '    LARIS_URL=%s\n    LARIS_SIM_URL=%s\n    env: %s\n' "$LS_URL" "$LS_SIM_URL" \
        "$LS_STACK_ENV"
}

laris_stack_stop() {
    local stack_dir=${1:?usage: laris_stack_stop <stack_dir>}
    laris_stack_paths "$stack_dir" || return 0 # nothing was ever started there
    laris_stack_saved_ports || true
    # Each part in its own subshell: one that fails does not keep the others running.
    (laris_nginx_stop) || laris_warn "stopping nginx failed"
    (laris_api_stop_current) || laris_warn "stopping laris-api failed"
    (laris_worker_stop_current) || laris_warn "stopping laris-worker failed"
    (laris_events_stop_current) || laris_warn "stopping laris-events failed"
    (laris_sim_stop_current) || laris_warn "stopping laris-sim failed"
    (laris_redis_stop) || laris_warn "stopping Redis failed"
    (laris_pg_stop) || laris_warn "stopping PostgreSQL failed"
}

laris_stack_status() {
    local stack_dir=${1:?usage: laris_stack_status <stack_dir>}
    local up=0 pid
    laris_stack_paths "$stack_dir" || { echo "no stack in $stack_dir"; return 3; }
    laris_stack_saved_ports || true
    if laris_pg_running; then
        echo "postgres   running  127.0.0.1:$LS_PG_PORT"
        up=$((up + 1))
    else
        echo "postgres   stopped"
    fi
    if pid=$(laris_redis_pid); then
        echo "redis      running  127.0.0.1:$LS_REDIS_PORT (pid $pid)"
        up=$((up + 1))
    else
        echo "redis      stopped"
    fi
    if pid=$(laris_api_pid); then
        echo "laris-api  running  $LS_API_SOCKET (pid $pid)"
        up=$((up + 1))
    else
        echo "laris-api  stopped"
    fi
    if pid=$(laris_sim_pid); then
        echo "laris-sim  running  http://127.0.0.1:$LS_SIM_PORT (pid $pid)"
        up=$((up + 1))
    else
        echo "laris-sim  stopped"
    fi
    if pid=$(laris_worker_pid); then
        echo "laris-worker running  (pid $pid)"
        up=$((up + 1))
    else
        echo "laris-worker stopped"
    fi
    if pid=$(laris_nginx_pid); then
        echo "nginx      running  http://127.0.0.1:$LS_HTTP_PORT (pid $pid)"
        up=$((up + 1))
    else
        echo "nginx      stopped"
    fi
    if pid=$(laris_events_pid); then
        echo "laris-events running  (pid $pid)"
        up=$((up + 1))
    else
        echo "laris-events stopped"
    fi
    ((up == 7)) || return 3
}

# laris_api_restart <stack_dir> <bin_dir> [wrapper...]: restarts laris-api from <bin_dir>,
# optionally under a wrapper command (valgrind ...), against the running stack.
laris_api_restart() {
    local stack_dir=${1:?usage: laris_api_restart <stack_dir> <bin_dir> [wrapper...]}
    local bin_dir=${2:?usage: laris_api_restart <stack_dir> <bin_dir> [wrapper...]}
    shift 2
    bin_dir=$(cd "$bin_dir" && pwd -P)
    laris_stack_paths "$stack_dir" || laris_die "no stack in $stack_dir"
    laris_stack_saved_ports || laris_die "no ports.env in $stack_dir: start the stack first"
    laris_stack_urls
    laris_api_stop_current
    laris_api_launch "$bin_dir" "$@"
}

laris_api_stop() {
    local stack_dir=${1:?usage: laris_api_stop <stack_dir>}
    laris_stack_paths "$stack_dir" || return 0
    laris_api_stop_current
}

# laris_stack_service <stack_dir> <postgres|redis> <stop|start>: stops or starts one backing
# server of a running stack (the fault tests of laris-worker take them away and back).
laris_stack_service() {
    local stack_dir=${1:?usage: laris_stack_service <stack_dir> <postgres|redis> <stop|start>}
    laris_stack_paths "$stack_dir" || laris_die "no stack in $stack_dir"
    laris_stack_saved_ports || laris_die "no ports.env in $stack_dir: start the stack first"
    case "$2:$3" in
    postgres:stop) laris_pg_stop ;;
    postgres:start)
        # Keep the fsync setting the stack was started with.
        LARIS_PG_FSYNC=${LARIS_PG_FSYNC:-$(sed -n 's/^fsync = //p' "$LS_PG_DIR/laris.conf")}
        LARIS_PG_FSYNC=$LARIS_PG_FSYNC laris_pg_start
        ;;
    redis:stop) laris_redis_stop ;;
    redis:start) laris_redis_start ;;
    *) laris_die "usage: laris_stack_service <stack_dir> <postgres|redis> <stop|start>" ;;
    esac
}
