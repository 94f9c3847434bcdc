using Mrq.Configuration;

namespace Mrq.Tasks;

/// <summary>A task known to the engine: its path, how to create it, and its options set in code.</summary>
/// <param name="Path">The path jobs use.</param>
/// <param name="Factory">Creates an instance in the execution's service scope.</param>
/// <param name="CodeOptions">Options set in code (attribute or registration); configuration overrides them.</param>
internal sealed record TaskRegistration(string Path, Func<IServiceProvider, MrqTask> Factory, TaskOptions CodeOptions);
