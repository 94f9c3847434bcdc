namespace Mrq.Cli.Hosting;

/// <summary>Server URLs as they may be printed: never with a password.</summary>
internal static class UrlText
{
    /// <summary>The URL with any password in its user info replaced by <c>***</c>.</summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var start = scheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var authority = end < 0 ? url[start..] : url[start..end];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return url;
        }

        var userInfo = authority[..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);

        // A user info without a colon is a password for Redis URLs, so it is hidden too.
        var redacted = colon < 0 ? "***" : userInfo[..colon] + ":***";
        return url[..start] + redacted + authority[at..] + (end < 0 ? string.Empty : url[end..]);
    }
}
