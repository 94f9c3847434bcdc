namespace Mrq.Context;

/// <summary>No task is registered at a job's path. Jobs that hit it are saved <c>failed</c> with exception type <c>TaskNotFound</c>.</summary>
public sealed class TaskNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TaskNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TaskNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TaskNotFoundException(string path, IEnumerable<string> registered)
        : base($"No task is registered at path '{path}'. Registered tasks: {(registered.Any() ? string.Join(", ", registered.Order(StringComparer.Ordinal)) : "none")}.")
    {
        Path = path;
    }

    /// <summary>The path that was not found.</summary>
    public string? Path { get; }
}
