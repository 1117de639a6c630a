# Configures (only when needed) and builds one CMake variant: laris_build release|asan.
# Binaries land in build/<variant>/ (laris-api, laris-admin, later laris-worker, laris-sim).
# shellcheck shell=bash

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Prints the cmake configure arguments of a variant.
laris_build_args() {
    case "$1" in
    release) printf '%s\n' -DCMAKE_BUILD_TYPE=RelWithDebInfo ;;
    asan) printf '%s\n' -DCMAKE_BUILD_TYPE=Debug -DLARIS_SANITIZE=ON -DLARIS_WERROR=ON ;;
    *)
        laris_die "unknown build variant '$1' (expected release or asan)"
        ;;
    esac
}

# laris_build <variant>: configures build/<variant> when it has never been configured or its
# arguments changed, then builds it with all cores.
laris_build() {
    local variant=${1:?usage: laris_build release|asan}
    local dir="$LARIS_ROOT/build/$variant"
    local -a args
    mapfile -t args < <(laris_build_args "$variant")
    ((${#args[@]} > 0)) || return 1

    local stamp="$dir/.laris-configure-args" wanted
    wanted=$(printf '%s\n' "${args[@]}")
    if [[ ! -f "$dir/CMakeCache.txt" || ! -f "$stamp" || "$(<"$stamp")" != "$wanted" ]]; then
        laris_info "configuring $variant build in ${dir#"$LARIS_ROOT"/}"
        cmake -S "$LARIS_ROOT" -B "$dir" "${args[@]}"
        printf '%s\n' "$wanted" >"$stamp"
    fi
    laris_info "building $variant"
    cmake --build "$dir" -j"$(nproc)"
}
