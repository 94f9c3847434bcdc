using Mrq.Context;
using Mrq.Tasks;

namespace Mrq.Samples.Tasks;

/// <summary><c>samples.Add</c>: returns <c>a + b</c>. The smallest typed task.</summary>
[MrqTask("samples.Add")]
public sealed class Add : MrqTask<AddParams, long>
{
    /// <inheritdoc/>
    protected override ValueTask<long> RunAsync(AddParams parameters, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueTask.FromResult(parameters.A + parameters.B);
    }
}
