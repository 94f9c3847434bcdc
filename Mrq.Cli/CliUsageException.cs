namespace Mrq.Cli;

/// <summary>Bad input found before anything was changed: printed as one line, exit code <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
