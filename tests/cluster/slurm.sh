#!/usr/bin/env bash
# End-to-end test of sharded runs on a real scheduler: installs Debian's slurm-wlm and
# munge, starts a one-node Slurm cluster on localhost, runs a 4-task job array of
# `buildout run --shard K/4`, merges the partials and compares the bytes with a
# one-machine run. Needs root (it installs packages and starts daemons); cleans up the
# daemons it started (by pid) and its scratch folder. Bounded: about a few minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)

if [ "$(id -u)" != 0 ]; then
  echo "tests/cluster/slurm.sh: SKIPPED: needs root to install slurm-wlm and munge and start their daemons"
  exit 0
fi

RUNS=${RUNS:-2000}
SEED=7
SCRATCH=$(mktemp -d /tmp/buildout-slurm.XXXXXX)
CONF=/etc/slurm/slurm.conf
CONF_BACKUP=""
MUNGED_STARTED=""

log() { echo "slurm.sh: $*"; }

cleanup() {
  set +e
  for pidfile in "$SCRATCH/slurmd.pid" "$SCRATCH/slurmctld.pid"; do
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null; fi
  done
  if [ -n "$MUNGED_STARTED" ] && [ -s /run/munge/munged.pid ]; then
    kill "$(cat /run/munge/munged.pid)" 2>/dev/null
  fi
  sleep 1
  if [ -n "$CONF_BACKUP" ]; then mv -f "$CONF_BACKUP" "$CONF"; else rm -f "$CONF"; fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

log "installing slurm-wlm and munge"
export DEBIAN_FRONTEND=noninteractive
timeout 300 apt-get update -qq
timeout 300 apt-get install -y -qq slurm-wlm munge >/dev/null

cargo build --release --quiet
BIN="$REPO/target/release/buildout"

# munge: a key owned by munge, then the daemon as that user.
mkdir -p /etc/munge /run/munge /var/log/munge /var/lib/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge: /etc/munge /run/munge /var/log/munge /var/lib/munge
chmod 700 /etc/munge
chmod 400 /etc/munge/munge.key
if ! (munge -n | unmunge) >/dev/null 2>&1; then
  su -s /bin/sh munge -c /usr/sbin/munged
  MUNGED_STARTED=1
  sleep 1
fi
munge -n | unmunge | grep -q 'Success' || { log "munge does not work"; exit 1; }

HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(( $(free -m | awk '/^Mem:/ {print $7}') * 8 / 10 ))
mkdir -p /etc/slurm "$SCRATCH/state" "$SCRATCH/spool"
if [ -e "$CONF" ]; then CONF_BACKUP="$SCRATCH/slurm.conf.orig"; cp "$CONF" "$CONF_BACKUP"; fi
cat > "$CONF" <<CONF
ClusterName=buildout-test
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$SCRATCH/state
SlurmdSpoolDir=$SCRATCH/spool
SlurmctldPidFile=$SCRATCH/slurmctld.pid
SlurmdPidFile=$SCRATCH/slurmd.pid
SlurmctldLogFile=$SCRATCH/slurmctld.log
SlurmdLogFile=$SCRATCH/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF

log "starting slurmctld and slurmd"
/usr/sbin/slurmctld
/usr/sbin/slurmd
for _ in $(seq 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then break; fi
  sleep 1
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)' || { log "node never became idle"; sinfo; exit 1; }

cat > "$SCRATCH/job.sh" <<JOB
#!/bin/bash
set -euo pipefail
"$BIN" run "$REPO/scenarios/korea-260k.toml" --runs $RUNS --seed $SEED --threads 1 \\
  --shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT" --out "$SCRATCH/shard-\$SLURM_ARRAY_TASK_ID" --quiet
JOB
chmod +x "$SCRATCH/job.sh"

JOB=$(sbatch --parsable --array=1-4 --chdir="$SCRATCH" --output="$SCRATCH/slurm-%A_%a.out" "$SCRATCH/job.sh")
log "submitted job array $JOB"
for _ in $(seq 300); do
  if [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ]; then break; fi
  sleep 1
done
if [ -n "$(squeue -h -j "$JOB" 2>/dev/null)" ]; then log "job $JOB did not finish in 5 minutes"; scancel "$JOB"; exit 1; fi

for k in 1 2 3 4; do
  if [ ! -s "$SCRATCH/shard-$k/partial.json" ]; then
    log "shard $k wrote no partial.json"; cat "$SCRATCH"/slurm-*.out || true; exit 1
  fi
done

"$BIN" merge "$SCRATCH"/shard-1 "$SCRATCH"/shard-2 "$SCRATCH"/shard-3 "$SCRATCH"/shard-4 --out "$SCRATCH/merged" --quiet
"$BIN" run scenarios/korea-260k.toml --runs "$RUNS" --seed $SEED --out "$SCRATCH/whole" --quiet
for f in summary.csv headline.json; do
  cmp "$SCRATCH/merged/$f" "$SCRATCH/whole/$f" || { log "FAIL: merged $f differs from a one-machine run"; exit 1; }
done
log "ok: 4 Slurm shards merged into the same summary.csv and headline.json as one machine"
