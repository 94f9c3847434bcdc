using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>MRQ's scheduler on <see cref="IMrqBuilder"/>.</summary>
public static class MrqSchedulerBuilderExtensions
{
    /// <summary>
    /// Runs MRQ's scheduler in this application's workers (<c>scheduler</c> on) and adds the entries of
    /// <paramref name="configure"/> to those of the configuration (<c>scheduler_tasks</c>). Entries are checked when a
    /// worker starts; an invalid one stops it with an error naming the entry.
    /// </summary>
    public static IMrqBuilder AddScheduler(this IMrqBuilder builder, Action<SchedulerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var scheduler = new SchedulerBuilder();
        configure?.Invoke(scheduler);
        builder.Services.Configure<MrqOptions>(options =>
        {
            options.Scheduler = true;
            if (scheduler.Interval is { } interval)
            {
                options.SchedulerInterval = interval.TotalSeconds;
            }
        });
        // After configuration is bound (which replaces the list), so entries from code and from files add up.
        builder.Services.PostConfigure<MrqOptions>(options =>
        {
            foreach (var task in scheduler.Tasks)
            {
                options.SchedulerTasks.Add(task);
            }
        });
        return builder;
    }
}
