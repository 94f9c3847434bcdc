namespace Mrq.Context;

/// <summary>
/// Thrown by <see cref="JobContext.AbortCurrentJob"/> to end the job with status <c>abort</c>. Catching it does not
/// cancel the abort: the request is recorded on the context before the throw.
/// </summary>
public sealed class AbortInterrupt : Exception
{
    /// <summary>Creates the interrupt.</summary>
    public AbortInterrupt()
        : base("The job was aborted.")
    {
    }

    /// <summary>Creates the interrupt with a message.</summary>
    public AbortInterrupt(string message)
        : base(message)
    {
    }

    /// <summary>Creates the interrupt with a message and cause.</summary>
    public AbortInterrupt(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
