using Hangfire.Logging;

namespace Mrq.Benchmarks.Peers;

/// <summary>Hangfire's log provider for the benchmark: prints warnings and errors only, and keeps the last one for the report.</summary>
internal sealed class WarnLogProvider : ILogProvider
{
    public static string? LastError { get; private set; }

    public ILog GetLogger(string name) => new Logger(name);

    private sealed class Logger(string name) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (logLevel < LogLevel.Warn)
            {
                return false;
            }

            if (messageFunc is null)
            {
                return true;
            }

            var text = $"{name}: {messageFunc()}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}";
            LastError = text;
            Console.Error.WriteLine($"  [hangfire {logLevel}] {text}");
            return true;
        }
    }
}
