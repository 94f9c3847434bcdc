namespace Mrq.Tests.Distributed;

/// <summary>One line of an execution record: a job ran in a process (see <c>Mrq.Tests.WorkerTasks.ExecutionLog</c>).</summary>
internal sealed record Execution(string JobId, int Pid, string Tag);
