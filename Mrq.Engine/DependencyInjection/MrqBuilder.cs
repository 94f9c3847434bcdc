using Microsoft.Extensions.DependencyInjection;
using Mrq.Storage;

namespace Mrq.DependencyInjection;

/// <summary>The builder behind <c>AddMrq</c>.</summary>
internal sealed class MrqBuilder : IMrqBuilder
{
    public MrqBuilder(IServiceCollection services)
    {
        Services = services;
    }

    public IServiceCollection Services { get; }

    public IMrqBuilder ConfigureStorage(Action<IServiceProvider, MrqStorageParts> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddSingleton(new StorageStep(configure));
        return this;
    }

    /// <summary>One backend's contribution to the storage parts, applied in registration order.</summary>
    internal sealed record StorageStep(Action<IServiceProvider, MrqStorageParts> Configure);

    /// <summary>A named connection factory (see <c>AddConnection</c>).</summary>
    internal sealed record ConnectionRegistration(string Name, Func<IServiceProvider, object> Factory);

    /// <summary>The metric hook (see <c>OnMetric</c>).</summary>
    internal sealed record MetricHook(Action<string, double> Hook);
}
