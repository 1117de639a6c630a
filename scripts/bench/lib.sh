# Shared by scripts/bench/webhook and scripts/bench/send (scripts/bench/api keeps its own copies
# of the same ideas): the bench stack in var/bench, a bench tenant with the fixture number, and
# reading wrk's output. Source after scripts/lib/{deps,build,stack}.sh; the caller sets OUT_DIR
# and a cleanup trap that calls bench_stack_cleanup.
# shellcheck shell=bash

STACK_DIR="$LARIS_ROOT/var/bench"
BIN_DIR="$LARIS_ROOT/build/release"

BENCH_EMAIL=bench@bench.laris.id
BENCH_PASSWORD=bench-password-2026
# The shared fixtures' number (manifest.json); the access token is made up (laris-sim takes it).
BENCH_PNID=119876543210001
BENCH_WABA=210000000000001
BENCH_TOKEN=EAATbenchbenchbenchbenchbenchbench0001

COOKIE=''
CSRF=''
BENCH_STACK_STARTED=no

export LC_ALL=C # decimal points in awk and printf

# Stops the bench stack if this run started it (call from the caller's EXIT trap).
bench_stack_cleanup() {
    if [[ "$BENCH_STACK_STARTED" == yes ]]; then
        laris_stack_stop "$STACK_DIR" || laris_warn "stopping the bench stack failed"
    fi
}

# A fresh bench stack: stops a leftover one, empties the database and the logs, starts it and
# sources stack.env. <results file>: removed before the run.
bench_stack_fresh_start() {
    mkdir -p "$STACK_DIR/run" "$STACK_DIR/log"
    laris_stack_stop "$STACK_DIR"
    rm -rf -- "${STACK_DIR:?}/pg" "${OUT_DIR:?}" "$1"
    mkdir -p "$OUT_DIR"
    rm -f "$STACK_DIR/log/"*.log "$STACK_DIR/nginx/access.log" "$STACK_DIR/nginx/error.log"
    # Ports saved by older runs may lie in the ephemeral range; stack.sh now picks below it.
    local low
    low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    if [[ -f "$STACK_DIR/ports.env" ]] &&
        awk -F= -v low="$low" '$2 >= low { bad = 1 } END { exit !bad }' "$STACK_DIR/ports.env"
    then
        rm -f "$STACK_DIR/ports.env"
    fi
    BENCH_STACK_STARTED=yes
    laris_stack_start "$STACK_DIR" "$BIN_DIR"
    # shellcheck source=/dev/null
    source "$STACK_DIR/stack.env"
}

# bench_http <method> <path> <body or ''> [curl args...]: prints "<status> <body>" of a request
# to the API with the session (when logged in).
bench_http() {
    local method=$1 path=$2 data=$3 out="$OUT_DIR/http.json" code
    shift 3
    local -a args=(-sS -o "$out" -w '%{http_code}' --max-time 10 -X "$method")
    [[ -n "$data" ]] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
    [[ -n "$COOKIE" ]] && args+=(-H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF")
    code=$(curl "${args[@]}" "$@" "$LARIS_URL$path") || code=000
    printf '%s %s\n' "$code" "$(cat "$out" 2>/dev/null)"
}

# sim_http <method> <path> [body]: laris-sim's control API; dies unless 2xx; prints the body.
sim_http() {
    local out code
    out=$(curl -sS -w '\n%{http_code}' --max-time 10 -X "$1" -H 'Content-Type: application/json' \
        ${3:+--data-binary "$3"} "$LARIS_SIM_URL$2") || laris_die "laris-sim $1 $2 failed"
    code=${out##*$'\n'}
    [[ "$code" == 2* ]] || laris_die "laris-sim $1 $2 answered $code: ${out%$'\n'*}"
    printf '%s\n' "${out%$'\n'*}"
}

# Signs up and logs in the bench tenant; sets COOKIE, CSRF and BENCH_TENANT.
bench_login() {
    local answer credentials jar="$OUT_DIR/cookies.txt"
    credentials='"email":"'"$BENCH_EMAIL"'","password":"'"$BENCH_PASSWORD"'"'
    answer=$(bench_http POST /api/v1/signup \
        '{"business_name":"Bench Shop","name":"Bench",'"$credentials"'}')
    [[ "$answer" == 201* || "$answer" == 200* || "$answer" == 409* ]] ||
        laris_die "signup of the bench tenant answered: $answer"
    rm -f "$jar"
    answer=$(bench_http POST /api/v1/auth/login "{$credentials}" -c "$jar")
    [[ "$answer" == 200* ]] || laris_die "login answered: $answer"
    CSRF=$(jq -r '.csrf_token // empty' <<<"${answer#* }")
    COOKIE=$(awk -F'\t' 'NF >= 7 && ($0 !~ /^#/ || $0 ~ /^#HttpOnly_/) {
        printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
    rm -f "$jar"
    [[ -n "$COOKIE" && -n "$CSRF" ]] || laris_die "login set no cookie or CSRF token"
    answer=$(bench_http GET /api/v1/me '')
    [[ "$answer" == 200* ]] || laris_die "GET /api/v1/me with the session answered: $answer"
    BENCH_TENANT=$(bench_sql "SELECT tenant_id FROM users WHERE email = '$BENCH_EMAIL'")
    [[ "$BENCH_TENANT" =~ ^[0-9]+$ ]] || laris_die "no tenant for $BENCH_EMAIL"
}

# bench_register_number <throughput_mps>: connects the fixture number to the bench tenant
# (POST /api/v1/wa-numbers, as an owner would) and to laris-sim with the same token.
bench_register_number() {
    local answer
    sim_http POST /_sim/numbers '{"phone_number_id":"'"$BENCH_PNID"'","waba_id":"'"$BENCH_WABA"'",
        "display_phone_number":"6281100001111","access_token":"'"$BENCH_TOKEN"'"}' >/dev/null
    answer=$(bench_http POST /api/v1/wa-numbers '{"phone_number_id":"'"$BENCH_PNID"'",
        "waba_id":"'"$BENCH_WABA"'","display_phone_number":"0811-0000-1111",
        "access_token":"'"$BENCH_TOKEN"'","throughput_mps":'"$1"'}')
    [[ "$answer" == 201* ]] || laris_die "POST /api/v1/wa-numbers answered: $answer"
}

# bench_sql <query>: one value, as the superuser.
bench_sql() { laris_psql -d laris -At -c "$1"; }

# to_ms <wrk time>: "823.00us", "1.20ms", "1.02s", "2.00m" -> milliseconds.
to_ms() {
    awk -v t="$1" 'BEGIN {
        if (match(t, /^[0-9.]+/) == 0) { print "nan"; exit }
        v = substr(t, 1, RLENGTH); u = substr(t, RLENGTH + 1)
        f["us"] = 0.001; f["ms"] = 1; f["s"] = 1000; f["m"] = 60000; f["h"] = 3600000
        if (u in f) printf "%.3f\n", v * f[u]; else print "nan"
    }'
}

# wrk_field <file> <rps|p50|p99|p999|requests|errors>
wrk_field() {
    case "$2" in
    rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
    requests) awk '/ requests in / { print $1 }' "$1" ;;
    p50) to_ms "$(awk '$1 == "50%" { print $2 }' "$1")" ;;
    p99) to_ms "$(awk '$1 == "99%" { print $2 }' "$1")" ;;
    errors) awk '/Non-2xx or 3xx responses:/ { n += $NF }
        /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1" ;;
    esac
}

# ratio <a> <b>: a / b with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "n/a" }'; }

# proc_cpu_ticks <pid>: utime + stime of a process, in clock ticks.
proc_cpu_ticks() {
    # Field 2 (comm) may hold spaces: count from after its closing parenthesis.
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

bench_machine_line() {
    local cpu
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    printf 'Run of %s on %s cores (%s), nginx %s, PostgreSQL %s, fsync %s.\n' "$(date -u +%F)" \
        "$(nproc)" "${cpu:-unknown CPU}" "$(nginx -v 2>&1 | sed 's|.*/||')" \
        "$(bench_sql 'SHOW server_version' | awk '{ print $1 }')" "$(bench_sql 'SHOW fsync')"
}
