#!/usr/bin/env bash
# THE test command: set up, start a test libvirtd, run every test tier, stop what we started.
#   sudo ./scripts/test.sh
# Exit code is the tests' (pnpm test = build + lint + scripts/run-tests.mjs).
set -euo pipefail

readonly PROG=test
die() { echo "$PROG: error: $*" >&2; exit 1; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
STATE=${VIREO_TEST_STATE:-$REPO/.vireo-test}
[[ $STATE == /* ]] || STATE=$REPO/$STATE
export VIREO_TEST_STATE=$STATE
SUMMARY=$REPO/.test-results/summary.txt

bash scripts/setup.sh

STOP_DAEMONS=0
# shellcheck disable=SC2317  # invoked by the EXIT trap
finish() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ $STOP_DAEMONS == 1 ]]; then
    mkdir -p "$STATE"
    if ! bash scripts/libvirt-daemons.sh stop --test >"$STATE/stop.log" 2>&1; then
      echo "$PROG: warning: stopping the test daemons failed; see $STATE/stop.log" >&2
    fi
  fi
  # The runner's one-line summary again, as the very last line (pnpm prints after it).
  if [[ -s $SUMMARY ]]; then cat "$SUMMARY"; fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -f "$SUMMARY"
bash scripts/libvirt-daemons.sh start --test
# Stop at the end only what this run started; a test daemon that was already up stays up.
if [[ $(cat "$STATE/last-start" 2>/dev/null || true) == started ]]; then STOP_DAEMONS=1; fi

[[ -r $STATE/env ]] || die "$STATE/env was not written by scripts/libvirt-daemons.sh"
while IFS= read -r line || [[ -n $line ]]; do
  [[ -z $line || $line == \#* ]] && continue
  key=${line%%=*}
  val=${line#*=}
  [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad line in $STATE/env: $line"
  if [[ ${#val} -ge 2 && $val == \"*\" ]]; then val=${val:1:${#val}-2}; fi
  export "$key=$val"
done <"$STATE/env"

set +e
pnpm test
rc=$?
set -e
exit "$rc"
