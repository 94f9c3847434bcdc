#!/usr/bin/env bash
# Randomized fault soak (not part of .ci/run): real `mrq worker` processes killed with SIGKILL at random points and,
# in distributed mode, Redis and the MongoDB-wire server restarted, then everything drained. Prints per backend:
# jobs queued, lost, re-run after success, stuck.
# Usage: bash tools/run-faults.sh [cycles per backend, default 22] [jobs queued per cycle, default 4]
# Env: MRQ_FAULTS_SEED (random seed), MRQ_CI_REDIS_PORT / MRQ_CI_MONGO_PORT (private ports), MRQ_FAULTS_BACKENDS
# ("litedb distributed" by default).
#
# A "re-run after success" is an execution that started after its job was seen `success`: before each check the
# script reads the statuses first and the execution records second, so every run counted before the check started
# before it, and any later record of a job already `success` is a run the queue should never have started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d)
REDIS_PORT=${MRQ_CI_REDIS_PORT:-6393}
MONGO_PORT=${MRQ_CI_MONGO_PORT:-27120}
CYCLES=${1:-22}
PER_CYCLE=${2:-4}
RANDOM=${MRQ_FAULTS_SEED:-$$}
BACKENDS=${MRQ_FAULTS_BACKENDS:-litedb distributed}
. "$ROOT/tools/servers.sh"

dotnet build "$ROOT/Mrq.Cli" -v q -nologo >/dev/null
dotnet build "$ROOT/Mrq.Tests.WorkerTasks" -v q -nologo >/dev/null
MRQ=(dotnet "$ROOT/Mrq.Cli/bin/Debug/net10.0/mrq.dll")
TASKS="$ROOT/Mrq.Tests.WorkerTasks/bin/Debug/net10.0/Mrq.Tests.WorkerTasks.dll"
TASK=tests.distributed.Record
# Fast maintenance and a short worker lease (MRQ's rule: a worker silent for the lease is dead; 3600 s by default),
# so the jobs SIGKILLed workers held are requeued within the run (distributed mode), not an hour later.
cat > "$WORK/mrq.json" <<JSON
{"report_interval": 1, "maintenance_interval": 2, "max_latency": 0.2, "worker_lease": 15}
JSON

WORKER_PIDS=()
CONGO_PID=""

start_worker() { # $1 = log name
  "${MRQ[@]}" worker "${STORE[@]}" --config "$WORK/mrq.json" --tasks "$TASKS" --greenlets 3 soak \
    >>"$B/$1.log" 2>&1 &
  WORKER_PIDS+=($!)
}

kill_workers() {
  for pid in "${WORKER_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  WORKER_PIDS=()
}

enqueue() { # $1 = count
  for _ in $(seq 1 "$1"); do
    "${MRQ[@]}" run "${STORE[@]}" --queue soak "$TASK" "{\"dir\": \"$B/runs\", \"sleep_ms\": $((RANDOM % 400))}" \
      >>"$B/queued.txt" 2>>"$B/enqueue-errors.log" || echo "enqueue failed" >>"$B/enqueue-errors.log"
  done
}

snapshot() { # statuses first, then execution records (see the header)
  local n=$1
  "${MRQ[@]}" jobs "${STORE[@]}" --status success --limit 1000000 --json >"$B/success-$n.json" 2>>"$B/snapshot-errors.log" || true
  cat "$B"/runs/*.log 2>/dev/null >"$B/runs-$n.txt" || true
}

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$REDIS_PID_FILE" --logfile "$WORK/redis.log" --dir "$WORK"
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.1; done
  echo "redis-server did not start"; return 1
}

stop_redis() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || return 0; sleep 0.1; done
}

start_congo() {
  node "$ROOT/tools/mongo-wire/start-congo-persistent.mjs" "$MONGO_PORT" "$WORK/congo.json" >>"$WORK/congo.log" 2>&1 &
  CONGO_PID=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null && return 0; sleep 0.1; done
  echo "MongoDB-wire server did not start"; cat "$WORK/congo.log"; return 1
}

stop_congo() {
  if [ -n "$CONGO_PID" ]; then kill "$CONGO_PID" 2>/dev/null || true; wait "$CONGO_PID" 2>/dev/null || true; CONGO_PID=""; fi
}

on_exit() { kill_workers; stop_congo; cleanup_servers; }
trap on_exit EXIT

soak_litedb() {
  STORE=(--storage "$B/jobs.db")
  for cycle in $(seq 1 "$CYCLES"); do
    enqueue "$PER_CYCLE"
    start_worker worker
    sleep "$((RANDOM % 3 + 1)).$((RANDOM % 10))"
    kill_workers                       # the file is one process's: look at it between kills
    snapshot "$cycle"
  done
  drain
}

soak_distributed() {
  STORE=(--mongodb-jobs "mongodb://127.0.0.1:$MONGO_PORT/mrq_soak?directConnection=true" --redis "redis://127.0.0.1:$REDIS_PORT")
  start_redis
  start_congo
  start_worker worker-a
  start_worker worker-b
  for cycle in $(seq 1 "$CYCLES"); do
    enqueue "$PER_CYCLE" &
    local enqueuer=$!
    sleep "$((RANDOM % 2 + 1)).$((RANDOM % 10))"
    local victim=$((RANDOM % ${#WORKER_PIDS[@]}))
    kill -9 "${WORKER_PIDS[$victim]}" 2>/dev/null || true
    wait "${WORKER_PIDS[$victim]}" 2>/dev/null || true
    unset "WORKER_PIDS[$victim]"; WORKER_PIDS=("${WORKER_PIDS[@]}")
    case $((cycle % 4)) in
      1) stop_redis; sleep 0.5; start_redis ;;
      3) stop_congo; sleep 0.5; start_congo ;;
    esac
    wait "$enqueuer" || true
    start_worker "worker-$cycle"
    snapshot "$cycle"
  done
  drain
  kill_workers
  stop_congo
  stop_redis
}

drain() { # workers run undisturbed until no job is queued or started (at most 3 minutes)
  [ ${#WORKER_PIDS[@]} -gt 0 ] || start_worker drain
  local deadline=$((SECONDS + 180))
  while [ $SECONDS -lt $deadline ]; do
    sleep 3
    if [ "$BACKEND" = litedb ]; then kill_workers; fi
    if "${MRQ[@]}" jobs "${STORE[@]}" --status queued,started,retry --limit 1000000 --json >"$B/open.json" 2>/dev/null \
      && [ ! -s "$B/open.json" ]; then
      break
    fi
    if [ "$BACKEND" = litedb ]; then start_worker drain; fi
  done
  kill_workers
  "${MRQ[@]}" jobs "${STORE[@]}" --limit 1000000 --json >"$B/final.json"
  cat "$B"/runs/*.log 2>/dev/null >"$B/runs-final.txt" || true
}

report() {
  python3 - "$B" "$BACKEND" <<'PY'
import json, sys, glob, collections, os
b, backend = sys.argv[1], sys.argv[2]
queued = [l.strip() for l in open(f"{b}/queued.txt") if l.strip()]
final, documents = {}, {}
for line in open(f"{b}/final.json"):
    if line.strip():
        job = json.loads(line); final[job["_id"]] = job["status"]; documents[job["_id"]] = job
def counts(path):
    c = collections.Counter()
    if os.path.exists(path):
        for line in open(path):
            if line.strip(): c[line.split()[0]] += 1
    return c
runs = counts(f"{b}/runs-final.txt")
rerun = set()
for path in glob.glob(f"{b}/success-*.json"):
    n = path.rsplit("-", 1)[1][:-5]
    before = counts(f"{b}/runs-{n}.txt")
    for line in open(path):
        if line.strip():
            jid = json.loads(line)["_id"]
            if runs[jid] > before[jid]: rerun.add(jid)
lost = [j for j in queued if j not in final or (final[j] == "success" and runs[j] == 0)]
stuck = [j for j in queued if j in final and final[j] not in ("success", "failed")]
failed = [j for j in queued if final.get(j) == "failed"]
repeated = sum(1 for j in queued if runs[j] > 1)
print(f"{backend}: queued {len(queued)}, lost {len(lost)}, re-run after success {len(rerun)}, stuck {len(stuck)}, "
      f"failed {len(failed)}, run more than once (killed mid-run, allowed) {repeated}")
for name, ids in (("lost", lost), ("re-run after success", sorted(rerun)), ("stuck", stuck)):
    if ids: print(f"  {name}: {' '.join(ids[:20])}")
for j in stuck[:5]:
    d = documents[j]
    print(f"  stuck {j}: status {d['status']}, worker {d.get('worker')}, datestarted {d.get('datestarted')}, "
          f"runs recorded {runs[j]}, lost_count {d.get('lost_count', 0)}")
PY
}

for BACKEND in $BACKENDS; do
  B="$WORK/$BACKEND"; mkdir -p "$B/runs"; : >"$B/queued.txt"
  echo "== $BACKEND: $CYCLES kill/restart cycles, $PER_CYCLE jobs queued per cycle"
  "soak_$BACKEND"
  report | tee -a "$WORK/summary.txt"
done
echo "== summary"; cat "$WORK/summary.txt"
