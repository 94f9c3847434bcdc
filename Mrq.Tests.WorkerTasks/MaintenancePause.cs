using Mrq.DependencyInjection;
using Mrq.Storage;

namespace Mrq.Tests.WorkerTasks;

/// <summary>
/// A test point inside a maintenance pass, for <c>mrq worker --tasks</c> processes: when the environment variable
/// <see cref="MarkerVariable"/> names a file, the worker's lock store, once it has taken the maintenance lock, creates
/// that file and never returns, so the process sits inside a pass holding the lock until the test kills it.
/// </summary>
public static class MaintenancePause
{
    /// <summary>The environment variable naming the marker file.</summary>
    public const string MarkerVariable = "MRQTEST_PAUSE_IN_MAINTENANCE";

    /// <summary>The maintenance lock's key (MaintenanceRunner's).</summary>
    public const string LockKey = "c:mrq.maintenance";

    /// <summary>Called by <c>mrq</c> for a task assembly: wraps the lock store when the variable is set.</summary>
    public static void ConfigureMrq(IMrqBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Environment.GetEnvironmentVariable(MarkerVariable) is { Length: > 0 } marker)
        {
            builder.ConfigureStorage((_, parts) => parts.Locks = new PausingLocks(parts.Locks!, marker));
        }
    }

    private sealed class PausingLocks(ILockStore inner, string marker) : ILockStore
    {
        public async ValueTask<bool> TryAcquireAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken)
        {
            var taken = await inner.TryAcquireAsync(key, token, ttl, cancellationToken).ConfigureAwait(false);
            if (taken && key == LockKey)
            {
                await File.WriteAllTextAsync(marker, token, CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, CancellationToken.None).ConfigureAwait(false);
            }

            return taken;
        }

        public ValueTask<bool> ReleaseAsync(string key, string token, CancellationToken cancellationToken) =>
            inner.ReleaseAsync(key, token, cancellationToken);

        public ValueTask<bool> ExtendAsync(string key, string token, TimeSpan ttl, CancellationToken cancellationToken) =>
            inner.ExtendAsync(key, token, ttl, cancellationToken);
    }
}
