using Microsoft.Extensions.Time.Testing;
using Mrq.Storage;

namespace Mrq.Tests.Scheduling;

/// <summary>The scheduler state store and lock store of one backend, on a fake clock, and what to dispose after the test.</summary>
public sealed class SchedulerBackend(IScheduleStore store, ILockStore locks, Func<ValueTask> dispose) : IAsyncDisposable
{
    public IScheduleStore Store { get; } = store;

    public ILockStore Locks { get; } = locks;

    public ValueTask DisposeAsync() => dispose();

    /// <summary>A clock at Monday 2026-03-02 10:00:00 UTC.</summary>
    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
}
