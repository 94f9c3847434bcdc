namespace Mrq.Cli;

/// <summary>The <c>mrq</c> executable.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => MrqCli.RunAsync(args, CliConsole.System);
}
