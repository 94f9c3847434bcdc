using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;
using Mrq.DependencyInjection;
using Mrq.Tasks;

namespace Mrq.Cli.Hosting;

/// <summary>
/// Task assemblies given with <c>--tasks &lt;dll&gt;</c>: loaded into the default load context (so they share
/// Mrq.Engine's types with the command), their dependencies resolved from their own <c>.deps.json</c> and folder.
/// Every concrete <see cref="MrqTask"/> is registered; a public static <c>ConfigureMrq(IMrqBuilder)</c> method on a
/// public type, if any, is called to add raw queues, connections or options in code.
/// </summary>
internal sealed class TaskAssemblies
{
    /// <summary>The name of the optional hook method a task assembly may define.</summary>
    public const string HookName = "ConfigureMrq";

    private static readonly Lock s_resolveGate = new();
    private static readonly List<AssemblyDependencyResolver> s_resolvers = [];
    private static bool s_hooked;

    private readonly List<MethodInfo> _hooks;

    private TaskAssemblies(IReadOnlyList<Assembly> assemblies, List<MethodInfo> hooks, IReadOnlySet<string> paths)
    {
        Assemblies = assemblies;
        _hooks = hooks;
        TaskPaths = paths;
    }

    /// <summary>No task assemblies.</summary>
    public static TaskAssemblies None { get; } = new([], [], new HashSet<string>(StringComparer.Ordinal));

    /// <summary>The loaded assemblies.</summary>
    public IReadOnlyList<Assembly> Assemblies { get; }

    /// <summary>The paths of the task types found (their <c>[MrqTask]</c> path, else their full name).</summary>
    public IReadOnlySet<string> TaskPaths { get; }

    /// <summary>Loads the assemblies.</summary>
    /// <exception cref="CliUsageException">A file is missing, is not a .NET assembly, or its types cannot be loaded.</exception>
    public static TaskAssemblies Load(IEnumerable<string> files, string directory)
    {
        ArgumentNullException.ThrowIfNull(files);
        var assemblies = new List<Assembly>();
        var hooks = new List<MethodInfo>();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var full = Path.GetFullPath(file, directory);
            if (!File.Exists(full))
            {
                throw new CliUsageException($"task assembly '{full}' not found.");
            }

            var assembly = LoadOne(full);
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                var cause = ex.LoaderExceptions.FirstOrDefault(e => e is not null)?.Message ?? ex.Message;
                throw new CliUsageException($"cannot load the types of task assembly '{full}': {cause}", ex);
            }

            foreach (var type in types.Where(t => typeof(MrqTask).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition))
            {
                paths.Add(type.GetCustomAttribute<MrqTaskAttribute>()?.Path ?? type.FullName!);
            }

            hooks.AddRange(types
                .Where(t => t.IsPublic && t.IsAbstract && t.IsSealed)
                .Select(t => t.GetMethod(HookName, BindingFlags.Public | BindingFlags.Static, [typeof(IMrqBuilder)]))
                .OfType<MethodInfo>());
            assemblies.Add(assembly);
        }

        return new TaskAssemblies(assemblies, hooks, paths);
    }

    /// <summary>Registers every task type, then runs the hooks.</summary>
    public void Register(IMrqBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var assembly in Assemblies)
        {
            builder.AddTasksFrom(assembly);
        }

        foreach (var hook in _hooks)
        {
            try
            {
                hook.Invoke(null, [builder]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw new CliUsageException($"{hook.DeclaringType!.FullName}.{HookName} failed: {ex.InnerException.Message}", ex.InnerException);
            }
        }
    }

    private static Assembly LoadOne(string full)
    {
        // An assembly already loaded (Mrq.Engine itself, or the same tasks given twice) is reused: loading a second
        // copy would make its MrqTask a different type.
        AssemblyName name;
        try
        {
            name = AssemblyName.GetAssemblyName(full);
        }
        catch (BadImageFormatException ex)
        {
            throw new CliUsageException($"'{full}' is not a .NET assembly.", ex);
        }

        var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null)
        {
            return loaded;
        }

        lock (s_resolveGate)
        {
            s_resolvers.Add(new AssemblyDependencyResolver(full));
            if (!s_hooked)
            {
                AssemblyLoadContext.Default.Resolving += ResolveDependency;
                s_hooked = true;
            }
        }

        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            throw new CliUsageException($"cannot load task assembly '{full}': {ex.Message}", ex);
        }
    }

    private static Assembly? ResolveDependency(AssemblyLoadContext context, AssemblyName name)
    {
        AssemblyDependencyResolver[] resolvers;
        lock (s_resolveGate)
        {
            resolvers = [.. s_resolvers];
        }

        foreach (var resolver in resolvers)
        {
            if (resolver.ResolveAssemblyToPath(name) is { } path && File.Exists(path))
            {
                return context.LoadFromAssemblyPath(path);
            }
        }

        return null;
    }
}
