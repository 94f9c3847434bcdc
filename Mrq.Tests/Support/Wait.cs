using Mrq.Client;
using Mrq.Jobs;

namespace Mrq.Tests.Support;

/// <summary>Generous waits for a loaded 2-core machine: tests wait on states, never on fixed sleeps.</summary>
internal static class Wait
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> until true; fails the test after <see cref="Long"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Long);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the job has the given status.</summary>
    public static Task ForStatusAsync(IJobClient client, JobId id, JobStatus status) =>
        UntilAsync(async () => (await client.GetJobAsync(id))?.Status == status, $"job {id} is {status.ToMrqName()}");

    /// <summary>
    /// Waits until a queue's size is <paramref name="expected"/>: with MRQ's queuesize counters the count is updated
    /// just after the status is saved, so a reader may briefly see the old size.
    /// </summary>
    public static Task ForQueueSizeAsync(IJobClient client, string queue, long expected) =>
        UntilAsync(async () => await client.GetQueueSizeAsync(queue) == expected, $"queue {queue} has size {expected}");

    /// <summary>Waits until the job ends and returns it.</summary>
    public static async Task<JobRecord> ForEndAsync(IJobClient client, JobId id)
    {
        await client.WaitAsync(id, Long);
        return (await client.GetJobAsync(id))!;
    }
}
