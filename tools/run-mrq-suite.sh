#!/usr/bin/env bash
# Runs Python MRQ's own pytest suite (the 13 files of shared/reference/python-mrq-harness.md) against this project's
# worker and against Python MRQ's worker, and prints pass/fail per file side by side.
#
#   tools/run-mrq-suite.sh MRQ_CHECKOUT [file ...]
#
# MRQ_CHECKOUT is a checkout of pricingassistant/mrq (commit 5a1154d); it is copied, never modified. The copy gets
# the documented local fixes and the MRQ_TEST_WORKER_CMD conftest hook (tools/mrq-suite/patch_mrq.py). Needs Debian's
# python3 packages (python3-gevent python3-pymongo python3-redis python3-psutil python3-flask python3-ujson
# python3-pytest python3-requests python3-future python3-hiredis python3-termcolor python3-objgraph
# python3-pytest-timeout python-is-python3), redis-server and node. MRQ's fixtures use ports 6379 and 27017 and admin
# ports 20020-20022: nothing else may use them while this runs. Not part of CI (MRQ's source is not in this repository).
# Env: WORKERS="dotnet python" (which columns), PER_TEST_TIMEOUT (s, default 90), FILE_TIMEOUT (s, default 900),
# MRQ_SUITE_PREBUILT (a directory holding bin/ and tasks/ of an earlier build, to skip building).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1/tests/conftest.py" ]; then
  echo "usage: tools/run-mrq-suite.sh MRQ_CHECKOUT [tests/test_x.py ...]  (MRQ_CHECKOUT: a checkout of pricingassistant/mrq)" >&2
  exit 2
fi

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SOURCE="$(cd "$1" && pwd)"
shift
FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
  FILES=(tests/test_general.py tests/test_retry.py tests/test_abort.py tests/test_cancel.py tests/test_timeout.py
         tests/test_progress.py tests/test_ratelimit.py tests/test_raw.py tests/test_subpool.py tests/test_interrupts.py
         tests/test_jobaction.py tests/test_queuesize.py tests/test_context.py)
fi
WORKERS="${WORKERS:-dotnet python}"
PER_TEST_TIMEOUT="${PER_TEST_TIMEOUT:-90}"
FILE_TIMEOUT="${FILE_TIMEOUT:-900}"
PYTHON=/usr/bin/python3

WORK="$(mktemp -d /tmp/mrq-suite.XXXXXX)"
REDIS_PID_FILE="$WORK/redis.pid"
MONGO_PID=""

stop_servers() {
  if [ -f "$REDIS_PID_FILE" ]; then kill "$(cat "$REDIS_PID_FILE")" 2>/dev/null || true; fi
  if [ -n "$MONGO_PID" ]; then kill "$MONGO_PID" 2>/dev/null || true; wait "$MONGO_PID" 2>/dev/null || true; fi
}
trap 'kill_orphans; stop_servers' EXIT

# Workers the fixture failed to stop within its 20 s keep their admin port; only processes started from the copy
# (their working directory) are ended, by PID.
kill_orphans() {
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$WORK/mrq" ] && grep -qaE 'mrq_worker.py|mrq.dll' "/proc/$pid/cmdline" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}

echo "Copying $SOURCE and applying the local fixes and the conftest hook..."
cp -a "$SOURCE" "$WORK/mrq"
$PYTHON "$ROOT/tools/mrq-suite/patch_mrq.py" "$WORK/mrq"

echo "Building mrq and the C# ports of MRQ's test tasks..."
if [ -n "${MRQ_SUITE_PREBUILT:-}" ]; then
  # A directory with bin/ (mrq published) and tasks/ (Mrq.MrqSuiteTasks) from an earlier run: reused as they are.
  cp -a "$MRQ_SUITE_PREBUILT/bin" "$MRQ_SUITE_PREBUILT/tasks" "$WORK/"
else
  # ReadyToRun: MRQ's fixtures give a worker about a second to start (a test queues jobs and checks them 3 s later);
  # precompiled code halves mrq's start-up on a loaded machine.
  dotnet publish "$ROOT/Mrq.Cli/Mrq.Cli.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -v q -nologo -o "$WORK/bin" >/dev/null
  dotnet build "$ROOT/Mrq.MrqSuiteTasks/Mrq.MrqSuiteTasks.csproj" -c Release -v q -nologo -o "$WORK/tasks" >/dev/null
fi

echo "Starting Redis on 6379 and the MongoDB-wire server (with MRQ's shims) on 27017..."
if [ ! -d "$ROOT/tools/mongo-wire/node_modules/@push.rocks/smartmongo" ]; then
  npm ci --prefix "$ROOT/tools/mongo-wire" --no-audit --no-fund --silent
fi
redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$REDIS_PID_FILE" --logfile "$WORK/redis.log" --dir "$WORK"
node "$ROOT/tools/mongo-wire/start-congo-mrq.mjs" 27017 > "$WORK/mongo.log" 2>&1 &
MONGO_PID=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/27017) 2>/dev/null && redis-cli -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

export MRQ_SUITE_DLL="$WORK/bin/mrq.dll" MRQ_SUITE_TASKS="$WORK/tasks/Mrq.MrqSuiteTasks.dll"
export MRQ_SUITE_DOTNET="$(command -v dotnet)"
export MRQ_TEST_KEEP_ENV="HOME DOTNET_ROOT MRQ_SUITE_DLL MRQ_SUITE_TASKS MRQ_SUITE_DOTNET"

# "N passed, M failed, K errors" of a pytest log, as "passed failed+errors".
counts() {
  local line passed failed errors
  line="$(grep -E '(passed|failed|error)' "$1" | grep -E ' in [0-9.]+s' | tail -1 || true)"
  passed="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  failed="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  errors="$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  echo "${passed:-0} $(( ${failed:-0} + ${errors:-0} ))"
}

declare -A RESULT
TOTAL_dotnet=0; TOTAL_python=0
for file in "${FILES[@]}"; do
  for worker in $WORKERS; do
    log="$WORK/$(basename "$file" .py).$worker.log"
    cmd=""
    if [ "$worker" = dotnet ]; then cmd="$ROOT/tools/mrq-suite/worker.sh"; fi
    (cd "$WORK/mrq" && MRQ_TEST_WORKER_CMD="$cmd" STACK_STARTED=1 PYTHON_BIN=$PYTHON PATH=/usr/bin:/bin \
      timeout "$FILE_TIMEOUT" $PYTHON -m pytest -q -rfE -p no:cacheprovider --timeout "$PER_TEST_TIMEOUT" "$file" > "$log" 2>&1) || true
    kill_orphans
    read -r passed failed < <(counts "$log")
    RESULT["$file.$worker"]="$passed/$failed"
    if [ "$worker" = dotnet ]; then TOTAL_dotnet=$((TOTAL_dotnet + passed)); else TOTAL_python=$((TOTAL_python + passed)); fi
    echo "  $file [$worker]: $passed passed, $failed failed or errors (log: $log)"
  done
done

echo
printf '| %-26s |' "file"; for worker in $WORKERS; do printf ' %-14s |' "$worker pass/fail"; done; echo
printf '| %-26s |' "---"; for worker in $WORKERS; do printf ' %-14s |' "---"; done; echo
for file in "${FILES[@]}"; do
  printf '| %-26s |' "$(basename "$file" .py)"
  for worker in $WORKERS; do printf ' %-14s |' "${RESULT[$file.$worker]}"; done
  echo
done
printf '| %-26s |' "total passed"; for worker in $WORKERS; do t="TOTAL_$worker"; printf ' %-14s |' "${!t}"; done; echo
echo "Logs kept in $WORK (delete it when done)."
trap - EXIT
kill_orphans
stop_servers
