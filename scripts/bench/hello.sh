# The hello-world FastCGI baseline of the benchmarks (scripts/bench/hello_fcgi.c, CMake target
# laris-bench-hello) and the nginx locations that serve it next to the API: /bench/hello, and
# /bench/static (nginx `return`). Used by scripts/bench/api and scripts/bench/inbox. Source after
# scripts/lib/stack.sh with STACK_DIR and BIN_DIR set; the caller's cleanup calls stop_hello
# when HELLO_STARTED is yes and removes "$LS_NGINX_DIR/conf.d/bench.conf".
# shellcheck shell=bash

HELLO_BIN="$BIN_DIR/laris-bench-hello"
HELLO_SOCKET="$STACK_DIR/run/hello.sock"
HELLO_PIDFILE="$STACK_DIR/run/hello.pid"
HELLO_STARTED=no

start_hello() {
    [[ -x "$HELLO_BIN" ]] || laris_die "$HELLO_BIN was not built (CMake target laris-bench-hello)"
    rm -f "$HELLO_SOCKET"
    laris_info "starting hello FastCGI ($LARIS_API_WORKERS workers) on $HELLO_SOCKET"
    "$HELLO_BIN" "$HELLO_SOCKET" "$LARIS_API_WORKERS" >>"$STACK_DIR/log/hello.log" 2>&1 \
        </dev/null &
    printf '%s\n' "$!" >"$HELLO_PIDFILE"
    # shellcheck disable=SC2034 # read by the caller's cleanup
    HELLO_STARTED=yes
    laris_wait_until 5 test -S "$HELLO_SOCKET" ||
        { cat "$STACK_DIR/log/hello.log" >&2; laris_die "hello FastCGI did not create its socket"; }
}

stop_hello() {
    local pid
    if ! pid=$(laris_running_pid "$HELLO_PIDFILE" laris-bench-hello); then
        rm -f "$HELLO_PIDFILE" "$HELLO_SOCKET"
        return 0
    fi
    laris_info "stopping hello FastCGI (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    laris_wait_pid_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$HELLO_PIDFILE" "$HELLO_SOCKET"
}

# ---------------------------------------------------------------------------------------------
# nginx: the two baseline locations, in the API's own server block

# Makes the server block include conf.d/*.conf. nginx/laris.conf.in should carry that line
# itself; until it does, the line is added to the bench stack's rendered nginx.conf only
# (var/bench/nginx/nginx.conf, which stack.sh regenerates on every start).
ensure_include_hook() {
    local line="include $LS_NGINX_DIR/conf.d/*.conf;"
    if grep -qF "$line" "$LS_NGINX_CONF"; then
        return 0
    fi
    laris_warn "nginx/laris.conf.in has no 'include @NGINX_DIR@/conf.d/*.conf;' in its server" \
        "block; adding it to the bench stack's rendered $LS_NGINX_CONF"
    awk -v line="$line" '{ print } !done && /^[[:space:]]*server_name[[:space:]]/ {
            print "        " line; done = 1 }' "$LS_NGINX_CONF" >"$LS_NGINX_CONF.bench"
    grep -qF "$line" "$LS_NGINX_CONF.bench" || laris_die "no server_name line in $LS_NGINX_CONF"
    mv -f "$LS_NGINX_CONF.bench" "$LS_NGINX_CONF"
}

add_bench_locations() {
    mkdir -p "$LS_NGINX_DIR/conf.d"
    cat >"$LS_NGINX_DIR/conf.d/bench.conf" <<EOF
# Written by scripts/bench/api: the baselines, on the same nginx and server block as the API
# (the FastCGI settings of the server block apply to /bench/hello as they do to /api/).
location = /bench/static {
    default_type application/json;
    return 200 '{"status":"ok"}';
}
location = /bench/hello {
    fastcgi_pass unix:$HELLO_SOCKET;
}
EOF
    ensure_include_hook
    laris_nginx -t -q || laris_die "nginx rejects the bench locations (see above)"
    laris_info "reloading nginx with the bench locations"
    laris_nginx -s reload
    if ! laris_wait_until 10 http_ok /bench/static || ! laris_wait_until 10 http_ok /bench/hello
    then
        laris_die "nginx does not serve /bench/static and /bench/hello after reload"
    fi
}

# http_ok <path> [curl args...]: the path answers 200.
http_ok() {
    local path=$1
    shift
    [[ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$LARIS_URL$path" \
        2>/dev/null)" == 200 ]]
}

