using Microsoft.Extensions.Logging;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Diagnostics;
using Mrq.Storage;
using Mrq.Tasks;

namespace Mrq.Context;

/// <summary>The services every job of a process shares; one per host.</summary>
internal sealed record JobRuntime(
    MrqStorage Storage,
    TaskRegistry Registry,
    MrqOptions Options,
    IJobClient Client,
    MrqConnections Connections,
    MrqMetrics Metrics,
    TimeProvider Time,
    ILoggerFactory LoggerFactory);
