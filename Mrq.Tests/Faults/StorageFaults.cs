using System.Reflection;
using Mrq.DependencyInjection;
using Mrq.Storage;

namespace Mrq.Tests.Faults;

/// <summary>
/// Fault injection over every storage SPI part: <see cref="WrapAll"/> replaces each part of a backend with a proxy
/// that applies the rules added with <see cref="On"/> (the first matching rule acts) and otherwise calls the real part.
/// </summary>
internal sealed class StorageFaults
{
    private readonly List<FaultRule> _rules = [];
    private readonly Lock _gate = new();

    /// <summary>A new rule for calls of <paramref name="method"/> on the part <typeparamref name="TPart"/>.</summary>
    public FaultRule On<TPart>(string method)
    {
        if (typeof(TPart).GetMethod(method) is null)
        {
            throw new ArgumentException($"{typeof(TPart).Name} has no method {method}.", nameof(method));
        }

        var rule = new FaultRule(typeof(TPart).Name + "." + method);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Adds a storage step that wraps every part set by the steps before it.</summary>
    public void WrapAll(IMrqBuilder builder) => builder.ConfigureStorage((_, parts) =>
    {
        parts.Jobs = Wrap(parts.Jobs);
        parts.Locks = Wrap(parts.Locks);
        parts.RawQueues = Wrap(parts.RawQueues);
        parts.QueueStates = Wrap(parts.QueueStates);
        parts.Logs = Wrap(parts.Logs);
        parts.Workers = Wrap(parts.Workers);
        parts.Notifier = Wrap(parts.Notifier);
        parts.RateLimits = Wrap(parts.RateLimits);
        parts.SizeCounter = Wrap(parts.SizeCounter);
    });

    /// <summary>Wraps one part (null stays null).</summary>
    public T? Wrap<T>(T? inner)
        where T : class
    {
        if (inner is null)
        {
            return null;
        }

        var proxy = DispatchProxy.Create<T, FaultProxy<T>>();
        ((FaultProxy<T>)(object)proxy).Attach(inner, this);
        return proxy;
    }

    internal FaultRule? Match(Type part, MethodInfo method, object?[] args)
    {
        lock (_gate)
        {
            var name = part.Name + "." + method.Name;
            return _rules.FirstOrDefault(r => r.Method == name && r.Matches(args));
        }
    }
}
