#!/usr/bin/env bash
# Install what Vireo needs on a Debian 12 host and build it. Idempotent; used by users and CI.
#   - pnpm 9.15.9 from the npm registry, if pnpm is missing
#   - libvirt, QEMU and the tools the tests use (chromium for the e2e tier), from Debian (skipped when all
#     are installed)
#   - the workspace's dependencies (pnpm install --frozen-lockfile) and a build (pnpm run build)
# Runs privileged steps with sudo when not root. Works from any directory.
set -euo pipefail

readonly PROG=setup
readonly PNPM_VERSION=9.15.9
readonly APT_PACKAGES=(
  libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils openssh-server
  openssl python3-libvirt iproute2 procps ca-certificates
  libxml2-utils ovmf swtpm swtpm-tools pamtester
  osinfo-db xorriso websockify fonts-noto-cjk
  chromium
)

die() { echo "$PROG: error: $*" >&2; exit 1; }
log() { echo "$PROG: $*"; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

SUDO=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "not root and sudo is not installed; run this as root"
  SUDO=(sudo)
fi

# --- Debian packages ---------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  log "Debian packages: all installed"
else
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these by hand: ${missing[*]}"
  log "Debian packages: installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
    die "apt-get update failed"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${APT_PACKAGES[@]}" </dev/null || die "apt-get install failed"
fi

# --- pnpm --------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node is not installed (Node 20 or newer is required)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || die "Node 20 or newer is required, found $(node -v)"
if command -v pnpm >/dev/null 2>&1 && pnpm_version=$(pnpm --version 2>/dev/null) && [[ -n $pnpm_version ]]; then
  log "pnpm: $pnpm_version already installed"
else
  command -v npm >/dev/null 2>&1 || die "neither pnpm nor npm is installed"
  log "pnpm: installing pnpm@$PNPM_VERSION from the npm registry"
  "${SUDO[@]}" npm install -g --no-fund --no-audit "pnpm@$PNPM_VERSION" || die "npm install -g pnpm@$PNPM_VERSION failed"
  hash -r
  command -v pnpm >/dev/null 2>&1 || die "pnpm was installed but is not on PATH ($(npm prefix -g)/bin)"
fi

# --- workspace ---------------------------------------------------------------
cd "$REPO"
# Playwright (e2e/) drives Debian's chromium: never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ -f pnpm-lock.yaml ]]; then
  log "pnpm install --frozen-lockfile"
  pnpm install --frozen-lockfile --config.confirmModulesPurge=false ||
    die "pnpm install --frozen-lockfile failed (is pnpm-lock.yaml up to date with package.json? run 'pnpm install' and commit the lockfile)"
else
  log "no pnpm-lock.yaml; pnpm install"
  pnpm install --config.confirmModulesPurge=false || die "pnpm install failed"
fi
log "pnpm run build"
pnpm run build || die "build failed (pnpm run build)"
log "done"
