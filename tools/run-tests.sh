#!/usr/bin/env bash
# Runs every test: installs and starts the servers the distributed-mode tests need (Redis from Debian apt, the
# MongoDB-wire test server from npm) on private loopback ports, runs `dotnet test`, stops the servers, and prints
# a last line "N passed, N failed". Usage: bash tools/run-tests.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d)
REDIS_PORT=${MRQ_CI_REDIS_PORT:-6391}
MONGO_PORT=${MRQ_CI_MONGO_PORT:-27118}
REDIS_PID_FILE="$WORK/redis.pid"
MONGO_PID=""

cleanup() {
  if [ -f "$REDIS_PID_FILE" ]; then kill "$(cat "$REDIS_PID_FILE")" 2>/dev/null || true; fi
  if [ -n "$MONGO_PID" ]; then kill "$MONGO_PID" 2>/dev/null || true; wait "$MONGO_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server from Debian apt..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize yes --pidfile "$REDIS_PID_FILE" --logfile "$WORK/redis.log" --dir "$WORK"
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping | grep -q PONG || { echo "redis-server did not start"; cat "$WORK/redis.log"; exit 1; }

if [ ! -d tools/mongo-wire/node_modules/@push.rocks/smartmongo ]; then
  npm ci --prefix tools/mongo-wire --no-audit --no-fund --silent
fi
node tools/mongo-wire/start-congo.mjs "$MONGO_PORT" > "$WORK/mongo.log" 2>&1 &
MONGO_PID=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null || { echo "MongoDB-wire test server did not start"; cat "$WORK/mongo.log"; exit 1; }

export MRQ_TEST_REDIS="redis://127.0.0.1:$REDIS_PORT"
export MRQ_TEST_MONGO="mongodb://127.0.0.1:$MONGO_PORT/?directConnection=true"
export MRQ_TEST_REQUIRE_SERVERS=1
export REDIS_SERVER_PATH="$(command -v redis-server)"

set +e
dotnet test "$ROOT/Mrq.sln" "$@" 2>&1 | tee "$WORK/test.log"
rc=${PIPESTATUS[0]}
set -e

passed=0; failed=0; skipped=0
while IFS= read -r line; do
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line"); f=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$line")
  s=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '^(Passed|Failed)!' "$WORK/test.log" || true)
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $rc (build or run failure)"; fi
echo "skipped: $skipped"
echo "$passed passed, $failed failed"
exit "$rc"
