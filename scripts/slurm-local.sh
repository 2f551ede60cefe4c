#!/usr/bin/env bash
# slurm-local.sh — a one-node SLURM cluster on this machine, for trying and testing scripts/walk.sbatch.
#
#   sudo bash scripts/slurm-local.sh start    # install (if missing), configure, start; wait until the node is idle
#   sudo bash scripts/slurm-local.sh status   # the daemons it started, and sinfo
#   sudo bash scripts/slurm-local.sh stop     # stop exactly the daemons `start` started (by pid)
#
# `start` installs SLURM and MUNGE from Debian (slurmctld, slurmd, slurm-client, munge) when they are missing,
# writes /etc/slurm/slurm.conf for one node with this machine's real CPU count and memory (from `slurmd -C`),
# starts munged as the munge user, then slurmctld and slurmd, and waits (up to 60 s) until `sinfo` shows
# the node idle. It is idempotent: daemons that already run are left alone (and not recorded, so `stop`
# leaves them running too). It refuses to overwrite a slurm.conf it did not write (a real cluster's).
# The configuration needs no cgroups (proctrack/linuxproc, task/none) and no accounting database, so it
# also runs in containers. State, logs and pid files live in $WALKINGNOISE_SLURM_DIR (default
# /var/lib/walkingnoise-slurm); the pids of the daemons it started are listed in its started.pids.
# Needs root (for apt-get, and to run the daemons as their users).
set -euo pipefail

dir=${WALKINGNOISE_SLURM_DIR:-/var/lib/walkingnoise-slurm}
conf=/etc/slurm/slurm.conf
marker="# written by walkingnoise scripts/slurm-local.sh"
pids=$dir/started.pids

die() { echo "slurm-local: $*" >&2; exit 1; }
say() { echo "slurm-local: $*"; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and starts daemons): sudo bash $0 ${1:-start}"
}

# alive PID NAME: the process PID runs and its command name is NAME (guards against a reused pid).
alive() {
  local c=
  [ -n "$1" ] && [ -r "/proc/$1/comm" ] && read -r c <"/proc/$1/comm" 2>/dev/null && [ "$c" = "$2" ]
}

# pid_of NAME PIDFILE: the pid in PIDFILE if that process is alive and is NAME, else empty.
pid_of() {
  local p
  p=$(cat "$2" 2>/dev/null || true)
  if alive "$p" "$1"; then echo "$p"; fi
}

install() {
  local missing=()
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  command -v munged >/dev/null || missing+=(munge)
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

configure() {
  if [ -e "$conf" ] && ! grep -qF "$marker" "$conf"; then
    die "$conf exists and was not written by this script (a real cluster's?); not touching it. Move it away to use a local cluster."
  fi
  mkdir -p "$dir/ctld" "$dir/d" "$dir/log" /etc/slurm
  chown -R slurm:slurm "$dir/ctld" "$dir/log"
  # slurmd -C prints this machine's node line: NodeName=host CPUs=… Boards=… SocketsPerBoard=… CoresPerSocket=…
  # ThreadsPerCore=… RealMemory=… (MiB), then an UpTime line.
  local node name
  node=$(slurmd -C | grep '^NodeName=') || die "slurmd -C did not describe this node"
  name=$(sed 's/^NodeName=\([^ ]*\).*/\1/' <<<"$node")
  local tmp
  tmp=$(mktemp "$conf.XXXXXX")
  cat >"$tmp" <<EOF
$marker — a one-node cluster for tests; \`bash scripts/slurm-local.sh stop\` stops it.
ClusterName=walkingnoise
SlurmctldHost=$name(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# A job whose dependency can never be met (e.g. a merge after a cancelled array task) is cancelled
# instead of staying pending for ever.
DependencyParameters=kill_invalid_depend
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$name Default=YES MaxTime=INFINITE State=UP
EOF
  chmod 644 "$tmp"
  if [ -e "$conf" ] && cmp -s "$tmp" "$conf"; then
    rm -f "$tmp"
  else
    mv "$tmp" "$conf"
    say "wrote $conf ($node)"
  fi
}

# first_proc NAME: the smallest pid whose command name is NAME, or nothing (no procps needed).
first_proc() {
  local f c
  for f in /proc/[0-9]*/comm; do
    c=
    read -r c <"$f" 2>/dev/null || true
    if [ "$c" = "$1" ]; then
      f=${f#/proc/}
      echo "${f%/comm}"
      return
    fi
  done
}

# record NAME PID: remember that this script started PID (as NAME).
record() { echo "$1 $2" >>"$pids"; }

start_munge() {
  local p
  p=$(first_proc munged)
  if [ -n "$p" ]; then
    say "munged already runs (pid $p), using it"
    return
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 755 /run/munge
  [ -s /etc/munge/munge.key ] || die "/etc/munge/munge.key is missing (reinstall munge, or run mungekey as munge)"
  runuser -u munge -- /usr/sbin/munged || die "munged did not start (see /var/log/munge/munged.log)"
  p=$(pid_of munged /run/munge/munged.pid)
  [ -n "$p" ] || die "munged started but wrote no pid to /run/munge/munged.pid"
  record munged "$p"
  say "started munged (pid $p)"
  munge -n | unmunge >/dev/null || die "munge cannot encode and decode a credential (see /var/log/munge/munged.log)"
}

# start_daemon NAME: start slurmctld or slurmd unless it already runs.
start_daemon() {
  local name=$1 p
  p=$(pid_of "$name" "$dir/$name.pid")
  if [ -n "$p" ]; then
    say "$name already runs (pid $p)"
    return
  fi
  p=$(first_proc "$name")
  [ -z "$p" ] || die "a $name (pid $p) runs that this script did not start; stop it first"
  "/usr/sbin/$name" || die "$name did not start (see $dir/log/$name.log)"
  local i
  for i in $(seq 50); do
    p=$(pid_of "$name" "$dir/$name.pid")
    [ -n "$p" ] && break
    sleep 0.1
  done
  [ -n "$p" ] || die "$name started but wrote no pid to $dir/$name.pid (see $dir/log/$name.log)"
  record "$name" "$p"
  say "started $name (pid $p)"
}

wait_idle() {
  local i state
  for i in $(seq 120); do
    state=$(sinfo -h -o %t 2>/dev/null | head -n1 || true)
    case $state in
    idle | mix | alloc)
      say "node is $state ($SECONDS s after start): $(sinfo -h -o '%N %c CPUs %m MiB %t' | head -n1)"
      return
      ;;
    drain* | down*)
      # ReturnToService=2 brings a node back once it registers; an explicit resume covers a state saved
      # from an earlier run.
      scontrol update nodename="$(sinfo -h -o %N | head -n1)" state=resume 2>/dev/null || true
      ;;
    esac
    sleep 0.5
  done
  sinfo >&2 || true
  die "the node is not idle after 60 s (state '${state:-none}'); see $dir/log/slurmctld.log and slurmd.log"
}

start() {
  need_root start
  install
  id munge >/dev/null 2>&1 || die "user munge is missing (reinstall munge)"
  id slurm >/dev/null 2>&1 || die "user slurm is missing (reinstall slurmctld)"
  configure
  mkdir -p "$dir"
  touch "$pids"
  start_munge
  start_daemon slurmctld
  start_daemon slurmd
  wait_idle
}

stop() {
  need_root stop
  [ -s "$pids" ] || { say "nothing to stop (no daemons recorded in $pids)"; return; }
  local name p left=() running
  running=$(squeue -h -t running,completing -o %i 2>/dev/null | wc -l || true)
  if [ "${running:-0}" -gt 0 ]; then
    say "warning: $running jobs still run; their processes outlive slurmd (scancel them before stop)"
  fi
  # Stop in reverse start order: slurmd, slurmctld, then munged.
  while read -r name p; do
    if alive "$p" "$name"; then
      kill -TERM "$p"
      left+=("$name:$p")
    fi
  done < <(tac "$pids")
  local entry i
  for entry in "${left[@]}"; do
    name=${entry%%:*}
    p=${entry##*:}
    for i in $(seq 100); do
      alive "$p" "$name" || break
      sleep 0.1
    done
    if alive "$p" "$name"; then
      say "$name (pid $p) still runs after 10 s, sending KILL"
      kill -KILL "$p" 2>/dev/null || true
    fi
    say "stopped $name (pid $p)"
  done
  rm -f "$pids"
}

status() {
  local name p
  if [ -s "$pids" ]; then
    while read -r name p; do
      if alive "$p" "$name"; then say "$name pid $p runs"; else say "$name pid $p is gone"; fi
    done <"$pids"
  else
    say "no daemons started by this script"
  fi
  sinfo 2>/dev/null || true
}

case ${1:-start} in
start) start ;;
stop) stop ;;
status) status ;;
*) die "usage: bash $0 start|stop|status" ;;
esac
