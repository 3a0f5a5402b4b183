#!/usr/bin/env bash
# A throwaway single-node Slurm cluster for tests and local trials, all state under one folder.
#   localslurm.sh start DIR   writes DIR/slurm.conf, starts munged, slurmctld and slurmd (as root), waits
#                             until the node is idle, and prints the SLURM_CONF line to export
#   localslurm.sh stop DIR    stops the three daemons by the pids in DIR/*.pid
# Needs: munge, slurmctld, slurmd, slurm-client (scripts/setup.sh installs them).
set -euo pipefail

action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

stop_pidfile() {
    local file=$1
    [ -f "$file" ] || return 0
    local pid
    pid=$(cat "$file")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

if [ "$action" = stop ]; then
    # slurmd first so it does not outlive the controller; munged last as both talk to it.
    stop_pidfile "$dir/slurmd.pid"
    stop_pidfile "$dir/slurmctld.pid"
    stop_pidfile "$dir/munged.pid"
    exit 0
fi
[ "$action" = start ] || { echo "unknown action '$action'" >&2; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
    echo "localslurm: the daemons must be started as root" >&2
    exit 3
fi
for tool in munged mungekey slurmctld slurmd sinfo; do
    if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
        echo "localslurm: $tool is not installed (scripts/setup.sh installs munge, slurmctld, slurmd, slurm-client)" >&2
        exit 4
    fi
done
export PATH="$PATH:/usr/sbin"

mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"
# Ports can be moved so two clusters (or a system one) do not collide.
ctld_port=${SACCADE_SLURMCTLD_PORT:-6817}
slurmd_port=${SACCADE_SLURMD_PORT:-6818}
host=$(hostname -s)
# The node as slurmd sees it (CPUs, sockets, cores, memory), so the controller accepts its registration.
node=$(slurmd -C | head -n1 | sed "s/^NodeName=[^ ]*/NodeName=$host NodeAddr=127.0.0.1/")

[ -f "$dir/munge/munge.key" ] || mungekey -c -k "$dir/munge/munge.key"
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

cat >"$dir/slurm.conf" <<CONF
ClusterName=saccade-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=60
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i
slurmd
for _ in $(seq 100); do
    state=$(sinfo -h -o %T 2>/dev/null | head -n1 || true)
    if [ "$state" = idle ]; then
        echo "SLURM_CONF=$dir/slurm.conf"
        exit 0
    fi
    sleep 0.2
done
echo "localslurm: the node did not become idle (state '${state:-none}'); see $dir/*.log" >&2
exit 5
