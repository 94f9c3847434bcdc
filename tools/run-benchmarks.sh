#!/usr/bin/env bash
# Runs the throughput benchmark suite with every backend: starts Redis and the MongoDB-wire test server on private
# loopback ports (installing them when missing, as run-tests.sh does), runs the Release runner, stops the servers.
# Peers run in fresh processes: Hangfire (this binary, `peer-hangfire`), BullMQ (node, tools/bench-peers/bullmq) and,
# given a checkout of pricingassistant/mrq (--mrq-checkout DIR or MRQ_CHECKOUT), Python MRQ (tools/bench-peers/python-mrq).
# Writes docs/benchmarks.md, docs/benchmarks.csv and the PNG charts (or --out DIR).
# Usage: bash tools/run-benchmarks.sh [--quick] [other runner options, see: dotnet run --project Mrq.Benchmarks]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d)
REDIS_PORT=${MRQ_BENCH_REDIS_PORT:-6392}
MONGO_PORT=${MRQ_BENCH_MONGO_PORT:-27119}
# The emulator with the shims Python MRQ needs (w=0 replies, $comment, convertToCapped), so Python MRQ (--mrq-checkout /
# MRQ_CHECKOUT) and Mrq run on one server; the shims do not touch the commands Mrq sends.
MONGO_SCRIPT=start-congo-mrq.mjs
. "$ROOT/tools/servers.sh"
start_servers
# A second Redis with append-only persistence (fsync once a second), for the durable raw-queue row.
REDIS_AOF_PORT=$((REDIS_PORT + 1))
redis-server --port "$REDIS_AOF_PORT" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec \
  --daemonize yes --pidfile "$WORK/redis-aof.pid" --logfile "$WORK/redis-aof.log" --dir "$WORK"
stop_aof_redis() {
  local pid
  pid=$(cat "$WORK/redis-aof.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  # It writes its append-only directory under WORK until it exits: wait, so WORK can be removed.
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}
trap 'stop_aof_redis; cleanup_servers' EXIT
for _ in $(seq 1 100); do redis-cli -p "$REDIS_AOF_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
dotnet build -c Release "$ROOT/Mrq.Benchmarks" -v quiet -nologo
# BullMQ, the node peer, runs from its own folder with the versions pinned in its package-lock.json.
if [ ! -d "$ROOT/tools/bench-peers/bullmq/node_modules/bullmq" ]; then
  npm ci --prefix "$ROOT/tools/bench-peers/bullmq" --no-audit --no-fund --silent
fi
# Python MRQ, the peer run given --mrq-checkout / MRQ_CHECKOUT, runs on Debian's python3 packages: installed when missing.
if [ -n "${MRQ_CHECKOUT:-}" ] || printf '%s\n' "$@" | grep -qx -- '--mrq-checkout'; then
  if ! /usr/bin/python3 -c 'import future, gevent, pymongo, redis, psutil, ujson, termcolor' 2>/dev/null; then
    echo "Installing Python MRQ's python3 packages from Debian apt..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-gevent python3-pymongo python3-redis python3-psutil \
      python3-flask python3-ujson python3-requests python3-future python3-hiredis python3-termcolor python3-objgraph >/dev/null
  fi
fi
dotnet "$ROOT/Mrq.Benchmarks/bin/Release/net10.0/Mrq.Benchmarks.dll" throughput \
  --redis "redis://127.0.0.1:$REDIS_PORT" --redis-aof "redis://127.0.0.1:$REDIS_AOF_PORT" --mongo "mongodb://127.0.0.1:$MONGO_PORT" "$@"
