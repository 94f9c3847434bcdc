#!/usr/bin/env bash
# MRQ_TEST_WORKER_CMD for MRQ's pytest suite: execs (same PID, so the fixture's signals reach it) mrq worker with the
# C# ports of MRQ's test tasks, in MRQ-compatibility mode (MRQ's default servers). Set by run-mrq-suite.sh:
# MRQ_SUITE_DLL (mrq.dll), MRQ_SUITE_TASKS (Mrq.MrqSuiteTasks.dll), MRQ_SUITE_DOTNET (the dotnet host).
export MRQ_COMPAT=1
exec "${MRQ_SUITE_DOTNET:-dotnet}" "$MRQ_SUITE_DLL" worker --tasks "$MRQ_SUITE_TASKS" "$@"
