using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mrq.Configuration;
using Mrq.Context;
using Mrq.Jobs;

namespace Mrq;

/// <summary>
/// MRQ's context functions as statics, backed by the current job of the async flow (the same
/// <see cref="JobContext"/> passed to <c>RunAsync</c>). Outside a job, <see cref="Current"/> is null and the
/// job-bound functions throw <see cref="InvalidOperationException"/>.
/// </summary>
public static class MrqContext
{
    /// <summary>The current job's context, or null outside a job.</summary>
    public static JobContext? Current => JobContextAccessor.Current;

    /// <summary>The current job, or null outside a job (MRQ's <c>get_current_job()</c>).</summary>
    public static JobRecord? GetCurrentJob() => Current?.Job;

    /// <summary>The current worker, or null (MRQ's <c>get_current_worker()</c>).</summary>
    public static IWorkerInfo? GetCurrentWorker() => Current?.Worker;

    /// <summary>The current configuration, or null outside a job (MRQ's <c>get_current_config()</c>).</summary>
    public static MrqOptions? GetCurrentConfig() => Current?.Config;

    /// <summary>The current job's logger; a no-op logger outside a job (MRQ's <c>log</c>).</summary>
    public static ILogger Log => Current?.Log ?? NullLogger.Instance;

    /// <summary>The current job's connections (MRQ's <c>connections</c>).</summary>
    public static MrqConnections Connections => Required().Connections;

    /// <summary>See <see cref="JobContext.RetryCurrentJob"/>.</summary>
    public static void RetryCurrentJob(TimeSpan? delay = null, int? maxRetries = null, string? queue = null) =>
        Required().RetryCurrentJob(delay, maxRetries, queue);

    /// <summary>See <see cref="JobContext.AbortCurrentJob"/>.</summary>
    public static void AbortCurrentJob() => Required().AbortCurrentJob();

    /// <summary>See <see cref="JobContext.SetProgressAsync"/>.</summary>
    public static ValueTask SetCurrentJobProgressAsync(double ratio, bool save = false) => Required().SetProgressAsync(ratio, save);

    /// <summary>See <see cref="JobContext.SubpoolMapAsync{TItem, TResult}"/>.</summary>
    public static Task<IReadOnlyList<TResult>> SubpoolMapAsync<TItem, TResult>(int poolSize, Func<TItem, ValueTask<TResult>> func, IEnumerable<TItem> items) =>
        Required().SubpoolMapAsync(poolSize, func, items);

    /// <summary>See <see cref="JobContext.RunTaskAsync"/>.</summary>
    public static ValueTask<JsonNode?> RunTaskAsync(string path, JsonObject? parameters = null) => Required().RunTaskAsync(path, parameters);

    private static JobContext Required() =>
        Current ?? throw new InvalidOperationException("No current job: this MRQ context function only works inside a running job.");
}
