# Shared helpers for Laris shell tooling: messages, root/sudo handling, repo root, waiting.
# Sourced by the other scripts/lib/*.sh files; defines functions only.
# shellcheck shell=bash

[[ -n "${LARIS_COMMON_SH:-}" ]] && return 0
LARIS_COMMON_SH=1
shopt -s inherit_errexit # command substitutions stop on errors too

LARIS_ROOT="${LARIS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}"

laris_info() { printf '==> %s\n' "$*"; }
laris_warn() { printf 'warning: %s\n' "$*" >&2; }
# Prints the message and exits (the script, or the subshell it runs in: callers that must go
# on after a failure run the step in a subshell).
laris_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

laris_is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Runs a command as root: directly when we are root, through sudo otherwise.
laris_as_root() {
    if laris_is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        laris_die "need root for: $* (install sudo or run as root)"
    fi
}

# laris_wait_until <seconds> <command...>: polls the command every 0.1 s until it succeeds.
laris_wait_until() {
    local timeout=$1 tries
    shift
    tries=$((timeout * 10))
    while ((tries-- > 0)); do
        "$@" && return 0
        sleep 0.1
    done
    "$@"
}

# laris_pid_from_file <pidfile>: prints the pid in the file when that process is alive.
laris_pid_from_file() {
    local file=$1 pid
    [[ -r "$file" ]] || return 1
    pid=''
    read -r pid 2>/dev/null <"$file" || [[ -n "$pid" ]] || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    laris_pid_dead "$pid" && return 1
    printf '%s\n' "$pid"
}

# laris_pid_matches <pid> <word>: the process's command line or executable mentions the word
# (guards against a stale pid file whose number was reused by an unrelated process).
laris_pid_matches() {
    local pid=$1 word=$2 cmdline exe
    [[ -d "/proc/$pid" ]] || return 0 # no /proc: trust the pid file
    cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || cmdline=''
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || exe=''
    [[ "$cmdline" == *"$word"* || "$exe" == *"$word"* ]]
}

# laris_running_pid <pidfile> <word>: prints the pid when the pidfile names a live process
# whose command line mentions the word.
laris_running_pid() {
    local pid
    pid=$(laris_pid_from_file "$1") || return 1
    laris_pid_matches "$pid" "$2" || return 1
    printf '%s\n' "$pid"
}

# laris_wait_pid_gone <pid> <seconds>: waits for a process to exit; fails on timeout.
laris_wait_pid_gone() {
    local pid=$1 timeout=$2
    laris_wait_until "$timeout" laris_pid_dead "$pid"
}

# The process is gone or a zombie.
laris_pid_dead() {
    kill -0 "$1" 2>/dev/null || return 0
    local stat
    stat=$(cat 2>/dev/null "/proc/$1/stat") || return 1
    stat=${stat##*) }
    [[ "${stat%% *}" == Z ]]
}
