using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Mrq.Tests.Faults;

/// <summary>The proxy behind <see cref="StorageFaults.Wrap{T}"/> (DispatchProxy needs an unsealed class).</summary>
#pragma warning disable CA1852 // DispatchProxy derives a type from this class at run time.
internal class FaultProxy<T> : DispatchProxy
#pragma warning restore CA1852
    where T : class
{
    private static readonly MethodInfo s_runAsync = typeof(FaultProxy<T>).GetMethod(nameof(RunAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private T? _inner;
    private StorageFaults? _faults;

    internal void Attach(T inner, StorageFaults faults)
    {
        _inner = inner;
        _faults = faults;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        args ??= [];
        var rule = _faults!.Match(typeof(T), method, args);
        var returns = method.ReturnType;
        if (rule is null || !(typeof(Task).IsAssignableFrom(returns) || returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(ValueTask<>) || returns == typeof(ValueTask)))
        {
            return CallInner(method, args);
        }

        var resultType = returns.IsGenericType ? returns.GetGenericArguments()[0] : typeof(object);
        var task = (Task)s_runAsync.MakeGenericMethod(resultType).Invoke(this, [method, args, rule])!;
        if (returns == typeof(ValueTask))
        {
            return new ValueTask(task);
        }

        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return Activator.CreateInstance(returns, task);
        }

        return task;
    }

    private async Task<TResult> RunAsync<TResult>(MethodInfo method, object?[] args, FaultRule rule)
    {
        if (rule.Before is { } before)
        {
            await before(args);
        }

        var returned = CallInner(method, args);
        TResult result = default!;
        switch (returned)
        {
            case Task<TResult> typed:
                result = await typed;
                break;
            case ValueTask<TResult> typedValue:
                result = await typedValue;
                break;
            case Task plain:
                await plain;
                break;
            case ValueTask plainValue:
                await plainValue;
                break;
        }

        if (rule.After is { } after)
        {
            await after(args, result);
        }

        return result;
    }

    private object? CallInner(MethodInfo method, object?[] args)
    {
        try
        {
            return method.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
