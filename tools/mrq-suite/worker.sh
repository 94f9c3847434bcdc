#!/usr/bin/env bash
# MRQ_TEST_WORKER_CMD for MRQ's pytest suite: execs (same PID, so the fixture's signals reach it) mrq worker with the
# C# ports of MRQ's test tasks, in MRQ-compatibility mode (MRQ's default servers). Set by run-mrq-suite.sh:
# MRQ_SUITE_DLL (mrq.dll), MRQ_SUITE_TASKS (Mrq.MrqSuiteTasks.dll), MRQ_SUITE_DOTNET (the dotnet host).
# tests/fixtures/config-raw1.py holds lambdas, which mrq refuses to read (it runs no config code): its --config flag
# is replaced by MRQ_SUITE_FIXTURE=config-raw1, which makes Mrq.MrqSuiteTasks (SuiteRawQueues) declare the same raw
# queues in C#. Every other fixture file but config-metric.py (below) is passed on and read by mrq's Python-literal
# reader.
export MRQ_COMPAT=1
# tests/fixtures/config-metric.py's METRIC_HOOK is a function: it becomes MRQ_SUITE_FIXTURE=config-metric the same
# way (Mrq.MrqSuiteTasks' SuiteMetrics registers the hook in C#).
translated() { case "$1" in tests/fixtures/config-raw1.py|tests/fixtures/config-metric.py) basename "$1" .py ;; *) return 1 ;; esac; }
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config|-c)
      if fixture="$(translated "${2:-}")"; then export MRQ_SUITE_FIXTURE="$fixture"; shift 2; continue; fi ;;
    --config=*)
      if fixture="$(translated "${1#--config=}")"; then export MRQ_SUITE_FIXTURE="$fixture"; shift; continue; fi ;;
  esac
  args+=("$1"); shift
done
# MRQ has no built-in maintenance: its fleets schedule mrq.basetasks.cleaning.*, and the suite runs them itself.
exec "${MRQ_SUITE_DOTNET:-dotnet}" "$MRQ_SUITE_DLL" worker --no-maintenance --tasks "$MRQ_SUITE_TASKS" "${args[@]}"
