using Mrq.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Workers;

namespace Mrq.Cli.Hosting;

/// <summary>
/// The services one command runs on: console logging (to stderr, so stdout carries only results), Mrq with the
/// chosen storage, the task assemblies and the layered configuration. Nothing is opened until used.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliHost(ServiceProvider services, IReadOnlySet<string> taskPaths)
    {
        _services = services;
        TaskPaths = taskPaths;
    }

    /// <summary>The paths of the tasks registered (from <c>--tasks</c> assemblies and their <c>ConfigureMrq</c> hooks).</summary>
    public IReadOnlySet<string> TaskPaths { get; }

    /// <summary>The service provider.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The job client.</summary>
    public IJobClient Client => _services.GetRequiredService<IJobClient>();

    /// <summary>The worker factory.</summary>
    public IMrqWorkerFactory Workers => _services.GetRequiredService<IMrqWorkerFactory>();

    /// <summary>Loggers.</summary>
    public ILoggerFactory Logging => _services.GetRequiredService<ILoggerFactory>();

    /// <summary>The validated options.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public MrqOptions Options => _services.GetRequiredService<IOptions<MrqOptions>>().Value;

    /// <summary>Builds the services for a session.</summary>
    /// <param name="session">The parsed command line.</param>
    /// <param name="overrides">Options forced by the command, applied last (e.g. <c>mrq run</c>'s private queue).</param>
    /// <param name="reportsJobEndings">The command prints how its job ended itself (<c>mrq run</c>): the worker's per-job lines are left out.</param>
    public static CliHost Create(CliSession session, Action<MrqOptions>? overrides = null, bool reportsJobEndings = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(session.LogLevel);
            if (reportsJobEndings)
            {
                logging.AddFilter(WorkerLog.Category, LogLevel.None);
            }
            logging.AddConsole(o => o.FormatterName = CliLogFormatter.FormatterName);
            logging.Services.AddSingleton<ConsoleFormatter>(new CliLogFormatter(session.LogLevel));
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });

        var preliminary = session.Configuration.BindOptions();
        services.AddMrq(builder =>
        {
            session.Storage.Apply(builder, preliminary);
            session.Tasks.Register(builder);
            builder.Configure(options =>
            {
                session.Configuration.Bind(options);
                overrides?.Invoke(options);
            });
        });
        var provider = services.BuildServiceProvider();
        var registered = provider.GetRequiredService<IMrqTaskCatalog>().Paths;
        var taskPaths = registered.Count > 0 ? registered.ToHashSet(StringComparer.Ordinal) : session.Tasks.TaskPaths;
        return new CliHost(provider, taskPaths);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
