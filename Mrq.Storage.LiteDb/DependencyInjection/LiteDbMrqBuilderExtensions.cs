using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mrq.Client;
using Mrq.DependencyInjection;
using Mrq.Storage.LiteDb;
using Mrq.Storage.LiteDb.Control;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedded LiteDB storage on an Mrq builder.</summary>
public static class LiteDbMrqBuilderExtensions
{
    /// <summary>
    /// Stores everything in the LiteDB file at <paramref name="path"/> (created when missing): no server needed.
    /// One file serves one process; for several processes use distributed mode (<c>UseMongo</c> + <c>UseRedis</c>).
    /// The file is opened when the storage initializes; while it is open, this process serves the file's control
    /// endpoint (see <see cref="LiteDbStorageOptions.ControlEndpoint"/>), so the <c>mrq</c> command works on it from
    /// other shells.
    /// </summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <param name="path">The database file.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    public static IMrqBuilder UseLiteDb(this IMrqBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseLiteDb(options => options.Path = path);
    }

    /// <summary>Stores everything in one LiteDB file, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <param name="configure">Sets the options (at least <see cref="LiteDbStorageOptions.Path"/>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IMrqBuilder UseLiteDb(this IMrqBuilder builder, Action<LiteDbStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureStorage((services, parts) =>
        {
            var options = new LiteDbStorageOptions();
            if (services.GetService<TimeProvider>() is { } time)
            {
                options.TimeProvider = time;
            }

            configure(options);
            LiteDbStorage.AddTo(parts, options, options.ControlEndpoint ? database => Endpoint(services, database) : null);
        });
    }

    // The monitor and client are resolved on the first request, from the services that built this storage.
    private static LiteDbControlEndpoint Endpoint(IServiceProvider services, LiteDbDatabase database) => new(
        database,
        services.GetMrqMonitor,
        services.GetRequiredService<IJobClient>,
        services.GetService<ILoggerFactory>()?.CreateLogger("Mrq.Storage.LiteDb.Control") ?? NullLogger.Instance);
}
