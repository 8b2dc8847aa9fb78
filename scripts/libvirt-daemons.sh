#!/usr/bin/env bash
# Start, stop or inspect the libvirt daemons Vireo talks to.
#
#   scripts/libvirt-daemons.sh start|stop|restart|status [--test]
#
# User mode (no --test): the host's own libvirtd with its default configuration.
#   With systemd as PID 1 this is `systemctl start libvirtd virtlogd`; otherwise
#   `virtlogd -d` and `libvirtd -d` are started by hand. `start` also marks libvirt's
#   `default` NAT network autostart and starts it, as virt-manager does.
#
# Test mode (--test): a libvirtd for the test suites, with state in
#   ${VIREO_TEST_STATE:-<repo>/.vireo-test}. If a libvirtd that we did not start is
#   already running, it is left alone and recorded as not ours (OWNED=0). Otherwise we
#   start libvirtd with our config (<state>/libvirtd.conf: TCP on 127.0.0.1:16509 and TLS
#   on 127.0.0.1:16514, both auth "none", throwaway certificates in <state>/pki) and a pid
#   file in <state>. `<state>/env` tells the test runner what it got. `stop --test` stops
#   only daemons we started. The `default` network is never started in test mode.
#
# Environment: VIREO_TEST_STATE (state dir), VIREO_DAEMON_TIMEOUT (seconds to wait for a
# daemon to answer or exit, default 60), VIREO_TEST_HIDE_KVM (auto|0|1, see below).
set -euo pipefail

readonly PROG=libvirt-daemons
die() { echo "$PROG: error: $*" >&2; exit 1; }
log() { echo "$PROG: $*"; }
warn() { echo "$PROG: warning: $*" >&2; }

usage() {
  echo "usage: $0 start|stop|restart|status [--test]" >&2
  exit 2
}

ACTION=${1:-}
TEST_MODE=0
[[ $# -ge 1 ]] && shift
for arg in "$@"; do
  case $arg in
    --test) TEST_MODE=1 ;;
    -h|--help) usage ;;
    *) echo "$PROG: error: unknown argument '$arg'" >&2; usage ;;
  esac
done
case $ACTION in
  start|stop|restart|status) ;;
  *) usage ;;
esac

SCRIPT_PATH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
REPO=$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd)

if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "must run as root (sudo is not installed)"
  exec sudo --preserve-env=VIREO_TEST_STATE,VIREO_DAEMON_TIMEOUT,VIREO_TEST_HIDE_KVM bash "$SCRIPT_PATH" "$ACTION" "$@"
fi

DEFAULT_STATE=$REPO/.vireo-test
STATE=${VIREO_TEST_STATE:-$DEFAULT_STATE}
[[ $STATE == /* ]] || STATE=$PWD/$STATE
case $STATE in
  *[\"\$\`\\\'[:space:]]*) die "state dir '$STATE' must not contain quotes, \$, backslashes or spaces" ;;
esac
TIMEOUT=${VIREO_DAEMON_TIMEOUT:-60}
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "VIREO_DAEMON_TIMEOUT must be a whole number of seconds, got '$TIMEOUT'"

readonly SYSTEM_URI=qemu:///system
readonly SOCK=/var/run/libvirt/libvirt-sock
readonly TCP_PORT=16509 TLS_PORT=16514
readonly CONF=$STATE/libvirtd.conf
readonly PIDFILE=$STATE/libvirtd.pid
readonly LOGD_PIDFILE=$STATE/virtlogd.pid
readonly LOGFILE=$STATE/libvirtd.log
readonly PKI=$STATE/pki
readonly CLIENT_PKI=$PKI/client
readonly TCP_URI=qemu+tcp://127.0.0.1:$TCP_PORT/system
readonly TLS_URI="qemu+tls://127.0.0.1:$TLS_PORT/system?pkipath=$CLIENT_PKI"
readonly SYS_LIBVIRTD_PIDFILE=/run/libvirtd.pid
readonly SYS_VIRTLOGD_PIDFILE=/run/virtlogd.pid

have_systemd() { [[ -d /run/systemd/system ]]; }

# --- probes ----------------------------------------------------------------

# Cheap probe: opening a connection and one call. (`virsh version` takes ~4 s here.)
answers() { timeout 15 virsh -q -c "$1" uri >/dev/null 2>&1; }

pid_alive() {
  local pid=$1 st
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/stat ]] || return 1
  st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ -n $st && $st != Z && $st != X ]]
}

# True when process $1 has the exact argument $2 on its command line.
has_arg() {
  local pid=$1 want=$2 a
  local -a args=()
  mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  for a in "${args[@]}"; do [[ $a == "$want" ]] && return 0; done
  return 1
}

# Live (non-zombie) pids of processes named exactly $1.
live_pids() {
  local pid
  for pid in $(pgrep -x "$1" || true); do
    pid_alive "$pid" && echo "$pid"
  done
  return 0
}

comm_is() { [[ $(cat "/proc/$1/comm" 2>/dev/null) == "$2" ]]; }

# Pid of the live process named $1 that carries argument $2 or whose pid is in pid file
# $3 (an exiting process shows an empty command line, but its pid file is still there).
find_ours() {
  local name=$1 want=$2 pidfile=$3 pid
  for pid in $(live_pids "$name"); do
    if has_arg "$pid" "$want"; then echo "$pid"; return 0; fi
  done
  if [[ -r $pidfile ]]; then
    pid=$(tr -dc '0-9' <"$pidfile")
    if pid_alive "$pid" && comm_is "$pid" "$name"; then echo "$pid"; return 0; fi
  fi
  return 1
}

our_libvirtd() { find_ours libvirtd "$CONF" "$PIDFILE"; }
our_virtlogd() { find_ours virtlogd "$LOGD_PIDFILE" "$LOGD_PIDFILE"; }
any_running() { [[ -n $(live_pids "$1") ]]; }

# Poll until "$@" succeeds or $TIMEOUT seconds pass.
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

gone() { ! pid_alive "$1"; }

# Stop process $1 (name $2): TERM, wait with deadline, then KILL.
stop_pid() {
  local pid=$1 name=$2
  pid_alive "$pid" || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for gone "$pid"; then
    warn "$name (pid $pid) did not exit within ${TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    until gone "$pid"; do
      ((SECONDS < deadline)) || die "$name (pid $pid) survived SIGKILL"
      sleep 0.1
    done
  fi
}

pid_from_file() {
  local f=$1 pid
  [[ -r $f ]] || return 1
  pid=$(tr -dc '0-9' <"$f")
  pid_alive "$pid" || return 1
  echo "$pid"
}

show_log_tail() {
  if [[ -s $LOGFILE ]]; then
    echo "$PROG: last lines of $LOGFILE:" >&2
    tail -n 15 "$LOGFILE" >&2
  fi
}

# --- test-mode material ----------------------------------------------------

pki_ok() {
  local f
  for f in "$PKI/cacert.pem" "$PKI/servercert.pem" "$PKI/serverkey.pem" \
           "$CLIENT_PKI/cacert.pem" "$CLIENT_PKI/clientcert.pem" "$CLIENT_PKI/clientkey.pem"; do
    [[ -s $f ]] || return 1
  done
  for f in "$PKI/cacert.pem" "$PKI/servercert.pem" "$CLIENT_PKI/clientcert.pem"; do
    openssl x509 -checkend 86400 -noout -in "$f" >/dev/null 2>&1 || return 1
  done
  openssl verify -CAfile "$PKI/cacert.pem" "$PKI/servercert.pem" "$CLIENT_PKI/clientcert.pem" >/dev/null 2>&1
}

make_pki() {
  pki_ok && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl is not installed (run scripts/setup.sh)"
  log "generating throwaway test certificates in $PKI"
  local tmp
  tmp=$(mktemp -d "$STATE/pki.tmp.XXXXXX")
  mkdir -p "$tmp/client"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -keyout "$tmp/cakey.pem" -out "$tmp/cacert.pem" -subj "/O=Vireo test/CN=Vireo test CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -addext "subjectKeyIdentifier=hash"
    openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$tmp/serverkey.pem" \
      -out "$tmp/server.csr" -subj "/O=Vireo test/CN=127.0.0.1"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$tmp/server.ext"
    openssl x509 -req -sha256 -days 825 -in "$tmp/server.csr" -CA "$tmp/cacert.pem" \
      -CAkey "$tmp/cakey.pem" -set_serial "0x$(openssl rand -hex 16)" \
      -extfile "$tmp/server.ext" -out "$tmp/servercert.pem"
    openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$tmp/client/clientkey.pem" \
      -out "$tmp/client.csr" -subj "/O=Vireo test/CN=vireo-test-client"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth" >"$tmp/client.ext"
    openssl x509 -req -sha256 -days 825 -in "$tmp/client.csr" -CA "$tmp/cacert.pem" \
      -CAkey "$tmp/cakey.pem" -set_serial "0x$(openssl rand -hex 16)" \
      -extfile "$tmp/client.ext" -out "$tmp/client/clientcert.pem"
  } >"$tmp/openssl.log" 2>&1 || {
    cat "$tmp/openssl.log" >&2
    rm -rf "$tmp"
    die "openssl failed to generate the test certificates"
  }
  cp "$tmp/cacert.pem" "$tmp/client/cacert.pem"
  rm -f "$tmp"/*.csr "$tmp"/*.ext "$tmp/openssl.log"
  chmod 600 "$tmp/cakey.pem" "$tmp/serverkey.pem"
  # The client key only opens an auth=none loopback listener; keep it readable so
  # non-root test runs can use it.
  chmod 644 "$tmp/cacert.pem" "$tmp/servercert.pem" "$tmp/client/"*.pem
  chmod 755 "$tmp/client"
  rm -rf "$PKI"
  mkdir -p "$PKI"
  chmod 755 "$PKI"
  mv "$tmp/client" "$CLIENT_PKI"
  mv "$tmp"/*.pem "$PKI/"
  rm -rf "$tmp"
  pki_ok || die "generated certificates in $PKI do not verify"
}

write_conf() {
  local tmp=$CONF.tmp
  cat >"$tmp" <<EOF
# Generated by scripts/libvirt-daemons.sh --test; rewritten on every start. Do not edit.
# libvirtd for Vireo's tests: default settings plus TCP and TLS listeners on loopback.
listen_tls = 1
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$TCP_PORT"
tls_port = "$TLS_PORT"
auth_tcp = "none"
auth_tls = "none"
ca_file = "$PKI/cacert.pem"
cert_file = "$PKI/servercert.pem"
key_file = "$PKI/serverkey.pem"
log_outputs = "3:file:$LOGFILE"
EOF
  mv "$tmp" "$CONF"
}

# Quote a value for the env file only when it needs it (dotenv and shell compatible).
env_line() {
  local key=$1 val=$2
  if [[ $val =~ ^[A-Za-z0-9_./:@%+,=-]*$ ]]; then
    printf '%s=%s\n' "$key" "$val"
  else
    printf '%s="%s"\n' "$key" "$val"
  fi
}

write_env() {
  local owned=$1 pidfile=$2 start_cmd
  start_cmd="bash $(printf '%q' "$SCRIPT_PATH") start --test"
  if [[ $STATE != "$DEFAULT_STATE" ]]; then
    start_cmd="env VIREO_TEST_STATE=$(printf '%q' "$STATE") $start_cmd"
  fi
  {
    echo "# Written by scripts/libvirt-daemons.sh start --test. KEY=VALUE; values may be double-quoted."
    env_line VIREO_TEST_STATE "$STATE"
    env_line VIREO_TEST_LIBVIRT_URI "$SYSTEM_URI"
    env_line VIREO_TEST_DAEMON_OWNED "$owned"
    env_line VIREO_TEST_LIBVIRTD_PIDFILE "$pidfile"
    env_line VIREO_TEST_DAEMON_START "$start_cmd"
    if [[ $owned == 1 ]]; then
      local pid
      pid=$(our_libvirtd || true)
      env_line VIREO_TEST_KVM_HIDDEN "$([[ -n $pid ]] && kvm_hidden_for "$pid" || echo 0)"
      env_line VIREO_TEST_TCP_URI "$TCP_URI"
      env_line VIREO_TEST_TLS_URI "$TLS_URI"
      env_line VIREO_TEST_TLS_PKIPATH "$CLIENT_PKI"
    fi
  } >"$STATE/env.tmp"
  mv "$STATE/env.tmp" "$STATE/env"
}

# --- virtlogd ----------------------------------------------------------------

start_virtlogd() {
  # $1 = extra args (test mode passes a pid file so we can tell our virtlogd apart)
  if have_systemd; then
    systemctl start virtlogd.socket virtlogd.service >/dev/null 2>&1 ||
      systemctl start virtlogd || die "systemctl start virtlogd failed"
    return 0
  fi
  if any_running virtlogd; then return 0; fi
  log "starting virtlogd"
  virtlogd -d "$@" || die "virtlogd -d failed to start"
  wait_for test -S /run/libvirt/virtlogd-sock || die "virtlogd did not create /run/libvirt/virtlogd-sock within ${TIMEOUT}s"
}

# --- user mode ---------------------------------------------------------------

user_start() {
  command -v virsh >/dev/null 2>&1 || die "virsh is not installed (run scripts/setup.sh)"
  if have_systemd; then
    log "starting libvirtd and virtlogd with systemctl"
    systemctl start virtlogd libvirtd || die "systemctl start virtlogd libvirtd failed"
  else
    start_virtlogd
    if answers "$SYSTEM_URI"; then
      log "libvirtd is already running"
    elif any_running libvirtd; then
      log "a libvirtd is running but not answering yet; waiting"
    else
      log "starting libvirtd"
      libvirtd -d || die "libvirtd -d failed to start"
    fi
  fi
  wait_for answers "$SYSTEM_URI" || die "libvirtd did not answer on $SOCK within ${TIMEOUT}s"
  log "libvirtd answers at $SYSTEM_URI"
  start_default_network
}

start_default_network() {
  local info
  info=$(virsh -q -c "$SYSTEM_URI" net-info default 2>/dev/null) || { log "no 'default' network defined; skipping it"; return 0; }
  if grep -Eq '^Autostart:[[:space:]]+no' <<<"$info"; then
    virsh -q -c "$SYSTEM_URI" net-autostart default >/dev/null || warn "could not mark the 'default' network autostart"
  fi
  if grep -Eq '^Active:[[:space:]]+no' <<<"$info"; then
    local out
    if out=$(virsh -q -c "$SYSTEM_URI" net-start default 2>&1); then
      log "started the 'default' network"
    else
      warn "could not start the 'default' network: $(tr '\n' ' ' <<<"$out")"
    fi
  fi
}

user_stop() {
  if have_systemd; then
    log "stopping libvirtd and virtlogd with systemctl"
    systemctl stop libvirtd virtlogd || die "systemctl stop libvirtd virtlogd failed"
    return 0
  fi
  local pid f stopped=0
  for f in "$SYS_LIBVIRTD_PIDFILE" "$PIDFILE"; do
    if pid=$(pid_from_file "$f"); then stop_pid "$pid" libvirtd; stopped=1; fi
  done
  for f in "$SYS_VIRTLOGD_PIDFILE" "$LOGD_PIDFILE"; do
    if pid=$(pid_from_file "$f"); then stop_pid "$pid" virtlogd; stopped=1; fi
  done
  [[ $stopped == 1 ]] || log "no libvirtd or virtlogd pid file with a live process; nothing to stop"
}

# --- test mode ---------------------------------------------------------------

# libvirt probes QEMU's capabilities with CAP_DAC_OVERRIDE, so the probe finds KVM even
# when /dev/kvm is closed to the QEMU user; its cache check then asks whether that user can
# open /dev/kvm, gets "no", and throws the cache away. Every call that needs capabilities
# (define, start, version, ...) then re-probes QEMU for seconds. When /dev/kvm exists but
# the QEMU user cannot use it, the test libvirtd therefore runs in a private mount
# namespace whose /dev/kvm is a root-only null device: probe and check agree (no KVM,
# TCG), and the host's /dev/kvm is untouched. VIREO_TEST_HIDE_KVM=0 turns this off,
# =1 forces it, default auto.
qemu_user() {
  local u
  u=$(sed -nE 's/^[[:space:]]*user[[:space:]]*=[[:space:]]*"([^"]+)".*/\1/p' /etc/libvirt/qemu.conf 2>/dev/null | tail -n1)
  echo "${u:-libvirt-qemu}"
}

should_hide_kvm() {
  local mode=${VIREO_TEST_HIDE_KVM:-auto} user
  case $mode in
    0|no|false) return 1 ;;
    1|yes|true) [[ -e /dev/kvm ]]; return ;;
    auto) ;;
    *) die "VIREO_TEST_HIDE_KVM must be auto, 0 or 1, got '$mode'" ;;
  esac
  [[ -e /dev/kvm ]] || return 1
  user=$(qemu_user)
  [[ $user == root || $user == +0 ]] && return 1
  id "$user" >/dev/null 2>&1 || return 1
  ! runuser -u "$user" -- test -r /dev/kvm -a -w /dev/kvm 2>/dev/null
}

launch_test_libvirtd() {
  if should_hide_kvm; then
    log "/dev/kvm is not usable by QEMU's user ($(qemu_user)): the test libvirtd gets a private /dev/kvm (a null device) so it runs QEMU with TCG and probes it once"
    # shellcheck disable=SC2016  # expanded by the inner bash
    unshare --mount --propagation slave -- bash -euc '
      d=$(mktemp -d /tmp/vireo-nokvm.XXXXXX)
      mount -t tmpfs -o mode=0700,size=16k vireo-nokvm "$d"
      mknod -m 600 "$d/kvm" c 1 3
      mount --bind "$d/kvm" /dev/kvm
      umount -l "$d"
      rmdir "$d"
      exec libvirtd -d --listen -f "$1" -p "$2"' vireo-libvirtd "$CONF" "$PIDFILE" && return 0
    warn "starting libvirtd with a hidden /dev/kvm failed; trying without (expect slow QEMU capability probing)"
    our_libvirtd >/dev/null && return 1
    libvirtd -d --listen -f "$CONF" -p "$PIDFILE"
  else
    libvirtd -d --listen -f "$CONF" -p "$PIDFILE"
  fi
}

# "1" when libvirtd $1 sees the null device at /dev/kvm (see above).
kvm_hidden_for() {
  [[ $(stat -Lc '%t:%T' "/proc/$1/root/dev/kvm" 2>/dev/null) == 1:3 ]] && echo 1 || echo 0
}

test_start() {
  command -v virsh >/dev/null 2>&1 || die "virsh is not installed (run scripts/setup.sh)"
  command -v libvirtd >/dev/null 2>&1 || die "libvirtd is not installed (run scripts/setup.sh)"
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  make_pki
  write_conf

  rm -f "$STATE/env" "$STATE/last-start"
  local pid result="" deadline=$((SECONDS + TIMEOUT)) said=""
  # Decide whose libvirtd this is. A daemon that exists but does not answer is either
  # starting or exiting (a test may just have killed it): poll until it answers or goes.
  while [[ -z $result ]]; do
    if pid=$(our_libvirtd); then
      if answers "$SYSTEM_URI"; then
        log "our test libvirtd is already running (pid $pid)"
        result=reused
        break
      fi
      [[ $said == ours ]] || log "our libvirtd (pid $pid) is not answering; waiting for it to answer or exit"
      said=ours
    elif answers "$SYSTEM_URI"; then
      result=foreign
      break
    elif any_running libvirtd; then
      [[ $said == other ]] || log "a libvirtd we did not start is running but not answering; waiting for it to answer or exit"
      said=other
    else
      start_virtlogd_for_test
      log "starting test libvirtd (config $CONF)"
      rm -f "$PIDFILE"
      : >"$LOGFILE"
      if ! launch_test_libvirtd; then
        show_log_tail
        die "libvirtd failed to start with $CONF"
      fi
      result=started
      break
    fi
    ((SECONDS < deadline)) || die "a libvirtd is running but neither answers at $SYSTEM_URI nor exits after ${TIMEOUT}s"
    sleep 0.2
  done

  if [[ $result == foreign ]]; then
    log "a libvirtd we did not start is running; leaving it alone (VIREO_TEST_DAEMON_OWNED=0: tests that restart or reconfigure libvirtd will skip)"
    start_virtlogd_for_test
    local foreign_pidfile=""
    [[ -e $SYS_LIBVIRTD_PIDFILE ]] && foreign_pidfile=$SYS_LIBVIRTD_PIDFILE
    write_env 0 "$foreign_pidfile"
    echo foreign >"$STATE/last-start"
    log "ready: $SYSTEM_URI (not ours); env in $STATE/env"
    return 0
  fi

  if ! wait_for answers "$SYSTEM_URI"; then
    show_log_tail
    die "test libvirtd did not answer at $SYSTEM_URI within ${TIMEOUT}s"
  fi
  if ! wait_for answers "$TCP_URI"; then
    show_log_tail
    die "test libvirtd does not answer on TCP ($TCP_URI) within ${TIMEOUT}s"
  fi
  if ! wait_for answers "$TLS_URI"; then
    show_log_tail
    echo "$PROG: TLS probe said: $(timeout 15 virsh -q -c "$TLS_URI" uri 2>&1 | tr '\n' ' ')" >&2
    die "test libvirtd does not answer on TLS ($TLS_URI) within ${TIMEOUT}s"
  fi
  write_env 1 "$PIDFILE"
  echo "$result" >"$STATE/last-start"
  log "ready: $SYSTEM_URI, $TCP_URI, $TLS_URI (ours, pid $(our_libvirtd || echo '?')); env in $STATE/env"
}

start_virtlogd_for_test() {
  if have_systemd; then start_virtlogd; return 0; fi
  any_running virtlogd && return 0
  rm -f "$LOGD_PIDFILE"
  start_virtlogd -p "$LOGD_PIDFILE"
}

test_stop() {
  local pid stopped=0
  if pid=$(our_libvirtd); then
    stop_pid "$pid" libvirtd
    stopped=1
  fi
  rm -f "$PIDFILE"
  if pid=$(our_virtlogd); then
    stop_pid "$pid" virtlogd
    stopped=1
  fi
  rm -f "$LOGD_PIDFILE"
  if [[ $stopped == 1 ]]; then
    log "stopped the test daemons we started"
  else
    log "no test daemon of ours is running; any other libvirtd is left alone"
  fi
}

# --- status ------------------------------------------------------------------

status() {
  local pid rc=0
  if pid=$(our_libvirtd); then
    echo "libvirtd: running, pid $pid, started by vireo test mode (config $CONF)$([[ $(kvm_hidden_for "$pid") == 1 ]] && echo ', /dev/kvm hidden')"
  elif pid=$(live_pids libvirtd | head -n1) && [[ -n $pid ]]; then
    echo "libvirtd: running, pid $pid, not started by vireo test mode"
  else
    echo "libvirtd: not running"
  fi
  if pid=$(our_virtlogd); then
    echo "virtlogd: running, pid $pid, started by vireo test mode"
  elif pid=$(live_pids virtlogd | head -n1) && [[ -n $pid ]]; then
    echo "virtlogd: running, pid $pid"
  else
    echo "virtlogd: not running"
  fi
  if answers "$SYSTEM_URI"; then echo "$SYSTEM_URI: answers"; else echo "$SYSTEM_URI: no answer"; rc=3; fi
  if [[ $TEST_MODE == 1 ]]; then
    if our_libvirtd >/dev/null; then
      if answers "$TCP_URI"; then echo "$TCP_URI: answers"; else echo "$TCP_URI: no answer"; rc=3; fi
      if answers "$TLS_URI"; then echo "$TLS_URI: answers"; else echo "$TLS_URI: no answer"; rc=3; fi
    fi
    [[ -r $STATE/env ]] && echo "env file: $STATE/env"
  fi
  return "$rc"
}

case $ACTION:$TEST_MODE in
  start:0) user_start ;;
  stop:0) user_stop ;;
  restart:0) user_stop; user_start ;;
  start:1) test_start ;;
  stop:1) test_stop ;;
  restart:1) test_stop; test_start ;;
  status:*) status ;;
esac
