using System.Globalization;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoConnection
{
    /// <summary>
    /// The write concern of <c>mrq_jobs</c> and <c>mrq_workers</c>: the option, else the URL's <c>w</c>, else
    /// majority (keeping the URL's <c>wtimeoutMS</c> and <c>journal</c>). An unacknowledged one is refused.
    /// </summary>
    /// <exception cref="MrqStorageException">The option is not <c>majority</c> or a number, or the result is <c>w=0</c>.</exception>
    internal static WriteConcern JobsWriteConcern(MongoStorageOptions options, WriteConcern fromUrl)
    {
        WriteConcern concern;
        if (options.WriteConcern is { } text)
        {
            concern = fromUrl.With(w: ParseW(text));
        }
        else
        {
            concern = fromUrl.W is null ? fromUrl.With(w: WriteConcern.WValue.Parse(MongoStorageOptions.DefaultWriteConcern)) : fromUrl;
        }

        if (!concern.IsAcknowledged || concern.W is WriteConcern.WCount { Value: 0 })
        {
            throw new MrqStorageException(
                "The MongoDB write concern w=0 (unacknowledged) is refused for MRQ jobs and workers: claims and outcomes need an answer; use w=1 or more, or majority.");
        }

        return concern;
    }

    private static WriteConcern.WValue ParseW(string text)
    {
        if (string.Equals(text, "majority", StringComparison.OrdinalIgnoreCase))
        {
            return WriteConcern.WMajority.W;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var members))
        {
            return new WriteConcern.WCount(members);
        }

        throw new MrqStorageException($"The MongoDB write concern '{text}' is not valid: use majority or a number of members (1 or more).");
    }

    /// <summary>Operation timeouts the driver leaves infinite or long, from the options unless the URL sets them.</summary>
    private static void ApplyTimeouts(MongoClientSettings settings, MongoStorageOptions options, string url)
    {
        if (!MongoUrlText.HasOption(url, "socketTimeoutMS"))
        {
            settings.SocketTimeout = options.SocketTimeout;
        }

        if (!MongoUrlText.HasOption(url, "connectTimeoutMS"))
        {
            settings.ConnectTimeout = options.ConnectTimeout;
        }
    }
}
