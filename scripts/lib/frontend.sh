# The web app (frontend/: Vite + Preact + TypeScript) and its browser tests. Public functions:
#   laris_frontend_deps          Debian packages: nodejs and npm (when missing), chromium, fonts
#   laris_frontend_build         npm ci when needed, then type check, build into frontend/dist,
#                                gzip precompression and the size budget (fails above it)
#   laris_frontend_unit          the vitest unit tests
#   laris_frontend_e2e <url>     the playwright-core tests in tests/e2e against a live stack at
#                                <url>, in Debian's headless Chromium; screenshots go to
#                                tests/e2e/screenshots (git-ignored)
# Settings from the environment: LARIS_CHROMIUM (/usr/bin/chromium), LARIS_JS_BUDGET_KB (80),
# LARIS_SCREENSHOT_DIR (tests/e2e/screenshots). No browser is ever downloaded: playwright-core
# drives the Chromium Debian installs.
# shellcheck shell=bash

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LARIS_FRONTEND_DIR="$LARIS_ROOT/frontend"
LARIS_CHROMIUM="${LARIS_CHROMIUM:-/usr/bin/chromium}"
LARIS_FRONTEND_FONTS=(fonts-dejavu-core)

laris_frontend_pkg_installed() {
    dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null | grep -qx installed
}

# Prints the Debian packages the web app still needs, one per line. Node.js may come from
# another source (NodeSource ships npm inside its nodejs): the commands count, not the packages.
laris_frontend_missing_packages() {
    command -v node >/dev/null 2>&1 || printf '%s\n' nodejs
    command -v npm >/dev/null 2>&1 || printf '%s\n' npm
    [[ -x "$LARIS_CHROMIUM" ]] || printf '%s\n' chromium
    local pkg
    for pkg in "${LARIS_FRONTEND_FONTS[@]}"; do
        laris_frontend_pkg_installed "$pkg" || printf '%s\n' "$pkg"
    done
}

# Installs what is missing (idempotent: does nothing, not even apt-get update, when all is there).
laris_frontend_deps() (
    set -euo pipefail
    local -a missing
    mapfile -t missing < <(laris_frontend_missing_packages)
    if ((${#missing[@]} > 0)); then
        laris_info "installing Debian packages for the web app: ${missing[*]}"
        local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -q)
        laris_as_root "${apt[@]}" update
        laris_as_root "${apt[@]}" install --no-install-recommends "${missing[@]}"
        mapfile -t missing < <(laris_frontend_missing_packages)
        ((${#missing[@]} == 0)) || laris_die "still missing after install: ${missing[*]}"
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if ((major < 20)); then
        laris_warn "Node.js $(node --version) is older than 20, which playwright-core needs"
    fi
)

# npm ci when node_modules is missing or package-lock.json changed since the last install.
laris_frontend_install() (
    set -euo pipefail
    cd "$LARIS_FRONTEND_DIR"
    local stamp=node_modules/.laris-lock.sha256 want have=''
    want=$(sha256sum package-lock.json | cut -d' ' -f1)
    [[ -r "$stamp" ]] && have=$(<"$stamp")
    if [[ ! -d node_modules || "$want" != "$have" ]]; then
        laris_info "installing the web app's npm packages (npm ci)"
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
        printf '%s\n' "$want" >"$stamp"
    fi
)

laris_frontend_build() (
    set -euo pipefail
    command -v npm >/dev/null 2>&1 || laris_die "npm is missing (laris_frontend_deps installs it)"
    laris_frontend_install
    cd "$LARIS_FRONTEND_DIR"
    laris_info "building the web app into frontend/dist"
    # tsc --noEmit (strict), vite build, then scripts/postbuild.mjs: .gz files and the budget.
    npm run --silent build
)

laris_frontend_unit() (
    set -euo pipefail
    laris_frontend_install
    cd "$LARIS_FRONTEND_DIR"
    npm run --silent test
)

laris_frontend_e2e() (
    set -euo pipefail
    local url=${1:?usage: laris_frontend_e2e <base_url>}
    url=${url%/}
    [[ -x "$LARIS_CHROMIUM" ]] || laris_die "no Chromium at $LARIS_CHROMIUM (laris_frontend_deps)"
    [[ -d "$LARIS_FRONTEND_DIR/node_modules/playwright-core" ]] ||
        laris_die "the web app's npm packages are not installed (laris_frontend_build)"
    [[ -f "$LARIS_FRONTEND_DIR/dist/index.html" ]] ||
        laris_die "the web app is not built (laris_frontend_build)"
    local page
    page=$(curl -fsS --max-time 10 "$url/login") || laris_die "nothing answers at $url/login"
    [[ "$page" == *'id="app"'* ]] || laris_die "$url/login is not the web app (is nginx serving frontend/dist?)"

    local shots=${LARIS_SCREENSHOT_DIR:-$LARIS_ROOT/tests/e2e/screenshots}
    rm -rf "$shots"
    mkdir -p "$shots"
    shopt -s nullglob
    local -a files=("$LARIS_ROOT"/tests/e2e/*.test.mjs)
    ((${#files[@]} > 0)) || laris_die "no browser tests in tests/e2e"
    laris_info "browser tests against $url (Chromium: $("$LARIS_CHROMIUM" --version 2>/dev/null || echo '?'))"
    local rc=0
    LARIS_E2E_URL=$url LARIS_SCREENSHOT_DIR=$shots LARIS_CHROMIUM=$LARIS_CHROMIUM \
        LARIS_FRONTEND_DIST="$LARIS_FRONTEND_DIR/dist" \
        node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || rc=$?
    laris_info "screenshots: $shots"
    return "$rc"
)
