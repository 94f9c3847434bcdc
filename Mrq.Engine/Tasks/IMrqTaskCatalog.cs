namespace Mrq.Tasks;

/// <summary>The tasks registered in a host (by <c>AddTask</c>, <c>AddTasksFrom</c>); resolve it from DI.</summary>
public interface IMrqTaskCatalog
{
    /// <summary>Every registered task path.</summary>
    IReadOnlyCollection<string> Paths { get; }

    /// <summary>True when a task is registered at <paramref name="path"/>.</summary>
    bool Contains(string path);
}
