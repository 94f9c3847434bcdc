using System.Collections.Concurrent;

namespace Mrq.Context;

/// <summary>
/// Lazily created, named connections shared by the tasks of a process (MRQ's <c>connections</c>): each factory
/// registered with <c>AddConnection</c> runs once, on first use, and the instance is disposed with the host.
/// </summary>
public sealed class MrqConnections : IAsyncDisposable, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly IReadOnlyDictionary<string, Func<IServiceProvider, object>> _factories;
    private readonly ConcurrentDictionary<string, Lazy<object>> _instances = new(StringComparer.Ordinal);

    internal MrqConnections(IServiceProvider services, IReadOnlyDictionary<string, Func<IServiceProvider, object>> factories)
    {
        _services = services;
        _factories = factories;
    }

    /// <summary>The registered connection names.</summary>
    public IEnumerable<string> Names => _factories.Keys;

    /// <summary>Gets (creating on first use) the connection named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No connection has that name.</exception>
    /// <exception cref="InvalidCastException">The connection is not a <typeparamref name="T"/>.</exception>
    public T Get<T>(string name)
        where T : class
    {
        if (!_factories.TryGetValue(name, out var factory))
        {
            throw new KeyNotFoundException($"No connection named '{name}'. Registered: {string.Join(", ", _factories.Keys)}.");
        }

        var instance = _instances.GetOrAdd(name, _ => new Lazy<object>(() => factory(_services))).Value;
        return instance as T ?? throw new InvalidCastException($"Connection '{name}' is a {instance.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>Disposes synchronously disposable connections (for hosts disposed with <c>Dispose</c>); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        foreach (var lazy in _instances.Values.Where(l => l.IsValueCreated))
        {
            (lazy.Value as IDisposable)?.Dispose();
        }

        _instances.Clear();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _instances.Values.Where(l => l.IsValueCreated))
        {
            switch (lazy.Value)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _instances.Clear();
    }
}
