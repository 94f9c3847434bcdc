using System.Globalization;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>A parsed MRQ Redis URL (<c>redis://[[user]:password@]host[:port][/db]</c>, <c>rediss://</c> for TLS).</summary>
internal sealed class RedisUrl
{
    private const int DefaultPort = 6379;

    private RedisUrl(string host, int port, string? user, string? password, int database, bool tls)
    {
        Host = host;
        Port = port;
        User = user;
        Password = password;
        Database = database;
        Tls = tls;
    }

    public string Host { get; }

    public int Port { get; }

    public string? User { get; }

    public string? Password { get; }

    public int Database { get; }

    public bool Tls { get; }

    /// <summary><c>host:port</c>, for messages (never the password).</summary>
    public string Address => (Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a URL.</summary>
    /// <exception cref="ArgumentException">The URL is malformed; the message never contains the password.</exception>
    public static RedisUrl Parse(string url, string paramName)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException("The Redis URL is empty; expected redis://[:password@]host[:port][/db].", paramName);
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != "redis" && uri.Scheme != "rediss")
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException(
                $"'{Redact(url)}' is not a Redis URL; expected redis://[:password@]host[:port][/db] or rediss://… for TLS.", paramName);
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new ArgumentException($"The Redis URL '{Redact(url)}' has a query or fragment, which is not supported.", paramName);
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database < 0))
        {
            throw new ArgumentException($"The Redis URL '{Redact(url)}' names database '{path}'; expected a number.", paramName);
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                password = Uri.UnescapeDataString(uri.UserInfo);
            }
            else
            {
                var userPart = Uri.UnescapeDataString(uri.UserInfo[..colon]);
                user = userPart.Length > 0 ? userPart : null;
                password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }

            if (password.Length == 0)
            {
                password = null;
            }
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return new RedisUrl(host, port, user, password, database, uri.Scheme == "rediss");
    }

    /// <summary>The URL with any password replaced by <c>***</c>, for messages.</summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return url;
        }

        return url[..(scheme + 3)] + "***" + url[at..];
    }

    /// <summary>The StackExchange.Redis configuration for this URL.</summary>
    public ConfigurationOptions ToConfiguration(TimeSpan connectTimeout)
    {
        var configuration = new ConfigurationOptions
        {
            EndPoints = { { Host, Port } },
            User = User,
            Password = Password,
            DefaultDatabase = Database,
            Ssl = Tls,
            AbortOnConnectFail = true,
            ConnectTimeout = (int)Math.Clamp(connectTimeout.TotalMilliseconds, 1, int.MaxValue),
            ConnectRetry = 1,
        };
        if (Tls)
        {
            configuration.SslHost = Host;
        }

        return configuration;
    }
}
