#!/usr/bin/env bash
# Sourced by run-tests.sh and run-benchmarks.sh: installs (when missing) and starts Redis from Debian apt and the
# MongoDB-wire test server (CongoDB from npm) on loopback; on exit it stops them by PID and removes WORK.
# Needs ROOT (the repository), WORK (a scratch directory), REDIS_PORT and MONGO_PORT set by the caller; MONGO_SCRIPT
# picks the emulator's start script in tools/mongo-wire (default start-congo.mjs).

REDIS_PID_FILE="$WORK/redis.pid"
MONGO_PID=""

stop_servers() {
  if [ -f "$REDIS_PID_FILE" ]; then
    local redis_pid
    redis_pid=$(cat "$REDIS_PID_FILE")
    kill "$redis_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "$MONGO_PID" ]; then kill "$MONGO_PID" 2>/dev/null || true; wait "$MONGO_PID" 2>/dev/null || true; fi
}

cleanup_servers() {
  stop_servers
  rm -rf "$WORK"
}
trap cleanup_servers EXIT

start_servers() {
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "Installing redis-server from Debian apt..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$REDIS_PID_FILE" --logfile "$WORK/redis.log" --dir "$WORK"
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping | grep -q PONG || { echo "redis-server did not start"; cat "$WORK/redis.log"; return 1; }

  if [ ! -d "$ROOT/tools/mongo-wire/node_modules/@push.rocks/smartmongo" ]; then
    npm ci --prefix "$ROOT/tools/mongo-wire" --no-audit --no-fund --silent
  fi
  node "$ROOT/tools/mongo-wire/${MONGO_SCRIPT:-start-congo.mjs}" "$MONGO_PORT" > "$WORK/mongo.log" 2>&1 &
  MONGO_PID=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null && break; sleep 0.1; done
  (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null || { echo "MongoDB-wire test server did not start"; cat "$WORK/mongo.log"; return 1; }
}
