using System.Text.RegularExpressions;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

/// <summary>Describes a MongoDB URL for messages without ever showing its password.</summary>
internal static partial class MongoUrlText
{
    /// <summary>The servers of a URL as <c>host:port</c> (comma-separated), never its credentials.</summary>
    public static string Servers(MongoUrl url) => Servers(url.Servers);

    /// <summary>The servers as <c>host:port,…</c>, for messages (never credentials).</summary>
    public static string Servers(IEnumerable<MongoServerAddress> servers) => string.Join(",", servers.Select(s => $"{s.Host}:{s.Port}"));

    /// <summary>Masks anything that looks like credentials in a URL inside <paramref name="text"/>, and the known password.</summary>
    public static string Redact(string text, string? password)
    {
        var redacted = CredentialsPattern().Replace(text, "${scheme}***@");
        if (!string.IsNullOrEmpty(password))
        {
            redacted = redacted.Replace(password, "***", StringComparison.Ordinal);
        }

        return redacted;
    }

    /// <summary>The password of a connection string, read without the driver (whose parse errors may quote it).</summary>
    public static string? PasswordOf(string url)
    {
        var match = CredentialsPattern().Match(url);
        if (!match.Success)
        {
            return null;
        }

        var userInfo = match.Value[match.Groups["scheme"].Length..^1];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : userInfo[(colon + 1)..];
    }

    /// <summary>True when the connection string's query names <paramref name="option"/> (case-insensitive, as the driver reads it).</summary>
    public static bool HasOption(string url, string option)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 && url[(query + 1)..]
            .Split('&', ';')
            .Any(pair => pair.Split('=', 2)[0].Equals(option, StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"(?<scheme>mongodb(\+srv)?://)[^@/\s]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialsPattern();
}
