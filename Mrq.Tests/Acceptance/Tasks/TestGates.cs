using System.Collections.Concurrent;

namespace Mrq.Tests.Acceptance.Tasks;

/// <summary>Named gates that test tasks wait on and signal, so tests control exactly when a job proceeds.</summary>
internal static class TestGates
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_gates = new();
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> s_logs = new();

    public static Task Gate(string name) =>
        s_gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static void Open(string name) =>
        s_gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public static void Record(string log, string entry) => s_logs.GetOrAdd(log, _ => new ConcurrentQueue<string>()).Enqueue(entry);

    public static IReadOnlyList<string> Entries(string log) => s_logs.TryGetValue(log, out var q) ? q.ToArray() : [];

    public static string NewName() => Guid.NewGuid().ToString("N");
}
