using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using Mrq.Client;
using Mrq.Jobs;

namespace Mrq.Tests.Scheduling;

/// <summary>An <see cref="IJobClient"/> that records <c>QueueJobAsync</c> calls (what the scheduler queues) and supports nothing else.</summary>
public class RecordingJobClient : DispatchProxy
{
    /// <summary>The queued jobs, in order.</summary>
    public ConcurrentQueue<(string Path, JsonObject? Params, string? Queue)> Queued { get; } = new();

    /// <summary>When set, QueueJobAsync throws it (a storage that cannot be reached).</summary>
    public Exception? Failure { get; set; }

    /// <summary>A new recorder and the client view of it.</summary>
    public static (IJobClient Client, RecordingJobClient Recorder) Create()
    {
        var client = Create<IJobClient, RecordingJobClient>();
        return (client, (RecordingJobClient)(object)client);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name != nameof(IJobClient.QueueJobAsync) || args is null)
        {
            throw new NotSupportedException($"{targetMethod?.Name} is not recorded.");
        }

        if (Failure is { } failure)
        {
            return Task.FromException<JobId>(failure);
        }

        Queued.Enqueue(((string)args[0]!, (JsonObject?)args[1], (string?)args[2]));
        return Task.FromResult(JobId.NewId(DateTime.UtcNow));
    }
}
