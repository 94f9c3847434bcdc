using System.CommandLine;
using Mrq.Cli.Commands;
using Mrq.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Mrq.Cli.Control;
using Mrq.Cli.Output;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Monitoring;
using Mrq.Storage;
using Mrq.Storage.LiteDb.Control;
using Mrq.Storage.Redis;
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

    /// <summary>The monitoring read model (the one the dashboard shows).</summary>
    public IMrqMonitor Monitor => _services.GetMrqMonitor();

    /// <summary>The process whose control endpoint serves <see cref="Client"/> and <see cref="Monitor"/>, or null when they use the storage directly.</summary>
    public ControlHello? Holder { get; private init; }

    /// <summary>The worker factory.</summary>
    public IMrqWorkerFactory Workers => _services.GetRequiredService<IMrqWorkerFactory>();

    /// <summary>Loggers.</summary>
    public ILoggerFactory Logging => _services.GetRequiredService<ILoggerFactory>();

    /// <summary>The validated options.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public MrqOptions Options => _services.GetRequiredService<IOptions<MrqOptions>>().Value;

    /// <summary>
    /// When this host uses a LiteDB file directly (not distributed, not through another holder), opens it now: this
    /// process then holds it and serves its control endpoint to other mrq commands from the start.
    /// </summary>
    /// <exception cref="MrqStorageException">The file cannot be opened (e.g. another process holds it).</exception>
    public async Task OpenHeldFileAsync(StorageChoice storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (!storage.IsDistributed && Holder is null)
        {
            await _services.GetRequiredService<MrqStorage>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Builds the services for a session.</summary>
    /// <param name="session">The parsed command line.</param>
    /// <param name="overrides">Options forced by the command, applied last (e.g. <c>mrq run</c>'s private queue).</param>
    /// <param name="reportsJobEndings">The command prints how its job ended itself (<c>mrq run</c>): the worker's per-job lines are left out.</param>
    public static CliHost Create(CliSession session, Action<MrqOptions>? overrides = null, bool reportsJobEndings = false) =>
        Create(session, overrides, reportsJobEndings, holder: null);

    /// <summary>
    /// Builds the services for a command that only reads and acts on jobs (<c>jobs</c>, <c>queues</c>,
    /// <c>run --queue</c>, <c>dashboard</c>): when another process holds the LiteDB file and answers on its control
    /// socket, the job client and the monitor go through that process; otherwise they use the storage directly.
    /// </summary>
    public static async Task<CliHost> CreateSharedAsync(CliSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var holder = session.Storage.IsDistributed ? null : await ControlClient.TryConnectAsync(session.Storage.LiteDbPath!, cancellationToken).ConfigureAwait(false);
        return Create(session, null, false, holder);
    }

    /// <summary>
    /// <see cref="CreateSharedAsync(CliSession, CancellationToken)"/> for a command's parse result (warnings and
    /// errors logged), with the options validated.
    /// </summary>
    /// <exception cref="CliUsageException">Bad configuration.</exception>
    /// <exception cref="OptionsValidationException">Invalid options.</exception>
    public static async Task<CliHost> CreateSharedAsync(ParseResult parse, GlobalOptions globals, CliConsole console, CancellationToken cancellationToken)
    {
        var session = CliSession.Create(parse, globals, null, null, console, LogLevel.Warning);
        var host = await CreateSharedAsync(session, cancellationToken).ConfigureAwait(false);
        try
        {
            _ = host.Options;
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static CliHost Create(CliSession session, Action<MrqOptions>? overrides, bool reportsJobEndings, ControlClient? holder)
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
            if (TerminalConsole.IsAvailable)
            {
                logging.AddProvider(new TerminalLoggerProvider(TerminalConsole.Instance, new CliLogFormatter(session.LogLevel)));
            }
            else
            {
                logging.AddConsole(o => o.FormatterName = CliLogFormatter.FormatterName);
                logging.Services.AddSingleton<ConsoleFormatter>(new CliLogFormatter(session.LogLevel));
                logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });

        var preliminary = session.Configuration.BindOptions();
        services.AddMrq(builder =>
        {
            session.Storage.Apply(builder, preliminary);
            session.Tasks.Register(builder);
            foreach (var (name, url) in session.Configuration.NamedRedisUrls())
            {
                ConfigurationOptions configuration;
                try
                {
                    configuration = RedisUrl.Parse(url, name).ToConfiguration(TimeSpan.FromSeconds(5));
                }
                catch (ArgumentException ex)
                {
                    throw new CliUsageException($"{name}: {ex.Message}", ex);
                }

                builder.AddConnection<IConnectionMultiplexer>(name, _ => ConnectionMultiplexer.Connect(configuration));
            }

            builder.Configure(options =>
            {
                session.Configuration.Bind(options);
                overrides?.Invoke(options);
            });
        });
        if (holder is not null)
        {
            // Registered last, so they win over AddMrq's: nothing in this process opens the held file.
            services.AddSingleton(_ => holder);
            services.AddSingleton<IJobClient>(sp => new RemoteJobClient(sp.GetRequiredService<ControlClient>()));
            services.AddSingleton<IMrqMonitor>(sp => new RemoteMrqMonitor(sp.GetRequiredService<ControlClient>()));
        }

        var provider = services.BuildServiceProvider();
        var registered = provider.GetRequiredService<IMrqTaskCatalog>().Paths;
        var taskPaths = registered.Count > 0 ? registered.ToHashSet(StringComparer.Ordinal) : session.Tasks.TaskPaths;
        return new CliHost(provider, taskPaths) { Holder = holder?.Hello };
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
