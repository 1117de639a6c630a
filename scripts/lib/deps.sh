# Installs the Debian 12 packages Laris needs to build, run and test (laris_install_deps).
# The package list lives here and nowhere else. Services that packages would start
# (postgresql, redis, nginx) are kept from starting: the stack runs its own instances.
# shellcheck shell=bash

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LARIS_DEBIAN_PACKAGES=(
    # toolchain
    build-essential cmake pkg-config git curl ca-certificates
    # libraries
    libfcgi-dev libfcgi-bin libpq-dev libjansson-dev libsodium-dev libhiredis-dev
    libcurl4-openssl-dev
    # servers
    postgresql-15 redis-server nginx libnginx-mod-nchan
    # tests and checks
    postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl libcriterion-dev valgrind wrk
    clang-format cppcheck clang-tidy
)

# Prints the packages of the list that are not installed, one per line.
laris_missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${LARIS_DEBIAN_PACKAGES[@]}" \
        2>/dev/null | awk '$2 == "installed" { print $1 }') || true
    local pkg
    for pkg in "${LARIS_DEBIAN_PACKAGES[@]}"; do
        grep -qxF "$pkg" <<<"$installed" || printf '%s\n' "$pkg"
    done
}

# Installs missing packages. apt-get update runs only when something is missing.
# Runs in a subshell so the policy-rc.d cleanup trap stays local.
laris_install_deps() (
    set -euo pipefail
    local -a missing
    mapfile -t missing < <(laris_missing_packages)
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    laris_info "installing Debian packages: ${missing[*]}"

    # Keep maintainer scripts from starting system services (works with and without
    # systemd: invoke-rc.d and deb-systemd-invoke both honour policy-rc.d).
    local policy=/usr/sbin/policy-rc.d
    if [[ ! -e "$policy" ]]; then
        laris_as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
        trap 'laris_as_root rm -f '"$policy" EXIT
    fi

    local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -q)
    laris_as_root "${apt[@]}" update
    laris_as_root "${apt[@]}" install --no-install-recommends "${missing[@]}"

    mapfile -t missing < <(laris_missing_packages)
    if ((${#missing[@]} > 0)); then
        laris_die "still missing after install: ${missing[*]}"
    fi
)
