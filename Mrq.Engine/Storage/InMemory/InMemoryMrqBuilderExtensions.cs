using Mrq.DependencyInjection;
using Mrq.Storage.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory storage on an Mrq builder.</summary>
public static class InMemoryMrqBuilderExtensions
{
    /// <summary>
    /// Stores everything in this process's memory (<see cref="InMemoryStorage"/>): fast, but lost when the process
    /// ends and invisible to other processes. Lock expiry uses the <see cref="TimeProvider"/> registered in the
    /// container, or the system clock.
    /// </summary>
    /// <param name="builder">The Mrq builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IMrqBuilder UseInMemoryStorage(this IMrqBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureStorage(static (services, parts) => InMemoryStorage.AddTo(parts, services.GetService<TimeProvider>()));
    }
}
