using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mrq.Configuration;
using Mrq.DependencyInjection;

namespace Mrq.Samples;

/// <summary>
/// The samples' raw queue. <c>mrq</c> calls <see cref="ConfigureMrq"/> when it loads this assembly with
/// <c>--tasks</c>, so the CLI knows the raw queue's job factory too.
/// </summary>
public static class SampleQueues
{
    /// <summary>
    /// A raw list queue (<c>_raw</c>): members are plain strings, turned into jobs only when a worker pops them.
    /// A member <c>"n"</c> becomes <c>samples.Add {"a": n, "b": n}</c> on the <c>default</c> queue.
    /// </summary>
    public const string Raw = "samples_raw";

    /// <summary>Registers the raw queue and its job factory.</summary>
    public static void ConfigureMrq(IMrqBuilder builder) => builder.AddRawQueue(Raw, ToJob);

    private static RawJob ToJob(string member)
    {
        var n = long.Parse(member, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return new RawJob("samples.Add", new JsonObject { ["a"] = n, ["b"] = n });
    }
}
