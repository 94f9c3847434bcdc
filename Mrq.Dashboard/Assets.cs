using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Mrq.Dashboard;

/// <summary>The stylesheet and script, embedded in the assembly so the dashboard works offline.</summary>
internal static class Assets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> s_assets = new Dictionary<string, (byte[], string)>
    {
        ["dashboard.css"] = (Load("dashboard.css"), "text/css; charset=utf-8"),
        ["dashboard.js"] = (Load("dashboard.js"), "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IResult Get(string name) =>
        s_assets.TryGetValue(name, out var asset) ? Results.Bytes(asset.Content, asset.Type) : Results.NotFound();

    private static byte[] Load(string name)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("Mrq.Dashboard.Assets." + name)
            ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in {typeof(Assets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
