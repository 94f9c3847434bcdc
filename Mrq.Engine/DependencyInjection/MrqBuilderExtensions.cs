using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Mrq.Configuration;
using Mrq.Context;
using Mrq.DependencyInjection;
using Mrq.Storage;
using Mrq.Tasks;
using Mrq.Workers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Task, raw queue, connection, option and worker registration on <see cref="IMrqBuilder"/>. In the same namespace as
/// <c>AddMrq</c> and the storage choices, so one <c>using Microsoft.Extensions.DependencyInjection;</c> covers the chain.
/// </summary>
public static class MrqBuilderExtensions
{
    /// <summary>
    /// Registers a task type. Its path is <paramref name="path"/>, else its <see cref="MrqTaskAttribute"/> path, else
    /// its full type name. Options set here or by the attribute are overridden by configuration (<c>tasks.&lt;path&gt;</c>).
    /// </summary>
    public static IMrqBuilder AddTask<TTask>(this IMrqBuilder builder, string? path = null, Action<TaskOptions>? configure = null)
        where TTask : MrqTask => builder.AddTask(typeof(TTask), path, configure);

    /// <summary>Registers a task type (see <see cref="AddTask{TTask}"/>).</summary>
    /// <exception cref="ArgumentException">The type is not a concrete <see cref="MrqTask"/>.</exception>
    public static IMrqBuilder AddTask(this IMrqBuilder builder, Type taskType, string? path = null, Action<TaskOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(taskType);
        if (!typeof(MrqTask).IsAssignableFrom(taskType) || taskType.IsAbstract)
        {
            throw new ArgumentException($"{taskType.FullName} is not a concrete MrqTask.", nameof(taskType));
        }

        var attribute = taskType.GetCustomAttribute<MrqTaskAttribute>();
        var options = attribute?.ToOptions() ?? new TaskOptions();
        configure?.Invoke(options);
        var factory = ActivatorUtilities.CreateFactory(taskType, Type.EmptyTypes);
        builder.Services.AddSingleton(new TaskRegistration(
            path ?? attribute?.Path ?? taskType.FullName!,
            sp => (MrqTask)factory(sp, null),
            options));
        return builder;
    }

    /// <summary>Registers a task given as a function.</summary>
    public static IMrqBuilder AddTask(this IMrqBuilder builder, string path, Func<JsonObject, JobContext, ValueTask<JsonNode?>> run, Action<TaskOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(run);
        var options = new TaskOptions();
        configure?.Invoke(options);
        var task = new DelegateTask(run);
        builder.Services.AddSingleton(new TaskRegistration(path, _ => task, options));
        return builder;
    }

    /// <summary>Registers every concrete <see cref="MrqTask"/> type of an assembly.</summary>
    public static IMrqBuilder AddTasksFrom(this IMrqBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes().Where(t => typeof(MrqTask).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition && t != typeof(DelegateTask)))
        {
            builder.AddTask(type);
        }

        return builder;
    }

    /// <summary>
    /// Declares a raw queue (MRQ's <c>RAW_QUEUES</c> entry) with the factory that turns a raw member into a job.
    /// <paramref name="queue"/> is the root name with its type suffix (<c>_raw</c>, <c>_set</c>, <c>_sorted_set</c>, <c>_timed_set</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Not a raw queue name.</exception>
    public static IMrqBuilder AddRawQueue(this IMrqBuilder builder, string queue, Func<string, RawJob> jobFactory, Action<RawQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(jobFactory);
        if (!QueueNames.IsRaw(queue) || QueueNames.Root(queue) != queue)
        {
            throw new ArgumentException($"'{queue}' is not a raw queue root name (suffix _raw, _set, _sorted_set or _timed_set, no '/').", nameof(queue));
        }

        // After configuration binding, so a file can set retry_queue etc. while the factory comes from code.
        builder.Services.PostConfigure<MrqOptions>(options =>
        {
            if (!options.RawQueues.TryGetValue(queue, out var raw))
            {
                raw = new RawQueueOptions();
                options.RawQueues[queue] = raw;
            }

            raw.JobFactory = jobFactory;
            configure?.Invoke(raw);
        });
        return builder;
    }

    /// <summary>Registers a lazily created named connection for tasks (<c>context.Connections.Get&lt;T&gt;(name)</c>).</summary>
    public static IMrqBuilder AddConnection<T>(this IMrqBuilder builder, string name, Func<IServiceProvider, T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(new MrqBuilder.ConnectionRegistration(name, sp => factory(sp)));
        return builder;
    }

    /// <summary>Sends every metric (MRQ's <c>METRIC_HOOK</c>: <c>jobs.status.&lt;s&gt;</c>, <c>queues.&lt;q&gt;.enqueued</c>…, and <c>Helpers.Metric</c>) to a hook.</summary>
    public static IMrqBuilder OnMetric(this IMrqBuilder builder, Action<string, double> hook)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new MrqBuilder.MetricHook(hook));
        return builder;
    }

    /// <summary>Sets options in code.</summary>
    public static IMrqBuilder Configure(this IMrqBuilder builder, Action<MrqOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Binds options from a configuration section, under MRQ's key names (<c>greenlets</c>, <c>max_jobs</c>,
    /// <c>tasks</c>…) or .NET's (<c>Greenlets</c>, <c>MaxJobs</c>; <c>Mrq__MaxJobs</c> in the environment). A key that
    /// names no option fails the host's start with an error naming it (and the closest option).
    /// </summary>
    public static IMrqBuilder BindConfiguration(this IMrqBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.Configure<MrqOptions>(options => MrqConfigurationKeys.Bind(configuration, options));
        return builder;
    }

    /// <summary>
    /// Hosts a worker that starts with the host and stops with it: host stop = graceful (SIGINT semantics: claim
    /// nothing new, finish running jobs); if the host's shutdown timeout passes first, running jobs are interrupted.
    /// </summary>
    public static IMrqBuilder AddWorker(this IMrqBuilder builder) => builder.AddWorker(_ => { });

    /// <summary>Hosts a worker as <see cref="AddWorker(IMrqBuilder)"/> does, with options for its life in the host.</summary>
    public static IMrqBuilder AddWorker(this IMrqBuilder builder, Action<MrqHostedWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        if (builder.Services.Any(d => d.ServiceType == typeof(MrqHostedWorker)))
        {
            throw new InvalidOperationException("AddWorker was already called: a host runs one Mrq worker (use greenlets for concurrency).");
        }

        var options = new MrqHostedWorkerOptions();
        configure(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<MrqHostedWorker>();
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MrqHostedWorker>());
        return builder;
    }
}
