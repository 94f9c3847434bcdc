using Microsoft.Extensions.DependencyInjection;
using Mrq.Storage;

namespace Mrq.DependencyInjection;

/// <summary>Configures Mrq inside <c>services.AddMrq(b => …)</c>: storage backend, tasks, raw queues, options.</summary>
public interface IMrqBuilder
{
    /// <summary>The service collection Mrq registers into.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Adds a step that fills storage parts when the storage is first resolved. Backends call it from their
    /// <c>Use…</c> extension; steps run in the order added, so a later backend replaces the parts it sets.
    /// </summary>
    IMrqBuilder ConfigureStorage(Action<IServiceProvider, MrqStorageParts> configure);
}
