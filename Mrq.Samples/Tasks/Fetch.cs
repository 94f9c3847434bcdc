using Microsoft.Extensions.Logging;
using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary>
/// <c>samples.Fetch</c>: simulates an I/O-bound call (an HTTP request) with <see cref="Task.Delay(int, CancellationToken)"/>.
/// While it waits, the worker's other greenlets run other jobs: that is what <c>--greenlets</c> is for.
/// </summary>
[MrqTask("samples.Fetch", Timeout = 30)]
public sealed class Fetch : MrqTask<FetchParams, FetchResult>
{
    /// <inheritdoc/>
    protected override async ValueTask<FetchResult> RunAsync(FetchParams parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        if (!Uri.TryCreate(parameters.Url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"'{parameters.Url}' is not an absolute URL.", nameof(parameters));
        }

        context.Log.LogDebug("Fetching {Url}", uri);
        await Task.Delay(Math.Max(0, parameters.DelayMs), context.CancellationToken).ConfigureAwait(false);

        // A stable pretend body length, so results are reproducible.
        var bytes = 512 + (int)((uint)StringComparer.Ordinal.GetHashCode(uri.AbsoluteUri) % 4096);
        return new FetchResult(uri.AbsoluteUri, 200, bytes);
    }
}
