#!/usr/bin/env bash
# Runs every test (the projects of Mrq.Tests.slnf: no benchmark restore): installs and starts the servers the distributed-mode tests need (Redis from Debian apt, the
# MongoDB-wire test server from npm) on private loopback ports, runs `dotnet test`, stops the servers, and prints
# a last line "N passed, N failed". Usage: bash tools/run-tests.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d)
REDIS_PORT=${MRQ_CI_REDIS_PORT:-6391}
MONGO_PORT=${MRQ_CI_MONGO_PORT:-27118}
. "$ROOT/tools/servers.sh"
start_servers

# The dashboard's browser tests drive Debian's chromium through Playwright (never Playwright's own browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium from Debian apt..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

export MRQ_TEST_REDIS="redis://127.0.0.1:$REDIS_PORT"
export MRQ_TEST_MONGO="mongodb://127.0.0.1:$MONGO_PORT/?directConnection=true"
export MRQ_TEST_REQUIRE_SERVERS=1
export REDIS_SERVER_PATH="$(command -v redis-server)"

set +e
# Normal verbosity names every test and the reason of each skipped one; the console shows a progress line every 100
# passed tests and everything else (failures with their messages, skip reasons), the log keeps it all.
dotnet test "$ROOT/Mrq.Tests.slnf" --logger "console;verbosity=normal" "$@" 2>&1 | tee "$WORK/test.log" \
  | awk '/^  Passed / { n++; if (n % 100 == 0) { print "  ... " n " tests passed so far"; fflush() } next } { print; fflush() }'
rc=${PIPESTATUS[0]}
set -e

passed=0; failed=0; skipped=0
while IFS= read -r line; do
  p=$(sed -nE 's/^ +Passed: *([0-9]+)$/\1/p' <<<"$line"); f=$(sed -nE 's/^ +Failed: *([0-9]+)$/\1/p' <<<"$line")
  s=$(sed -nE 's/^ +Skipped: *([0-9]+)$/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '^ +(Passed|Failed|Skipped): *[0-9]+$' "$WORK/test.log" || true)
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $rc (build or run failure)"; fi
if [ "$skipped" -gt 0 ]; then
  echo "skipped tests and why:"
  # NUnit prints "<test>: <reason>" just before "  Skipped <test> [..]".
  awk '/^  Skipped / { name = $2; print "  " (reason[name] != "" ? reason[name] : name) } { split($0, parts, ": "); if (parts[2] != "") reason[parts[1]] = $0 }' "$WORK/test.log"
fi
echo "skipped: $skipped"
echo "$passed passed, $failed failed"
exit "$rc"
