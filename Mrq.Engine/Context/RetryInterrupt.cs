namespace Mrq.Context;

/// <summary>
/// Thrown by <see cref="JobContext.RetryCurrentJob"/> to end the job and mark it for retry. Catching it does not
/// cancel the retry: the request is recorded on the context before the throw.
/// </summary>
public sealed class RetryInterrupt : Exception
{
    /// <summary>Creates the interrupt.</summary>
    public RetryInterrupt()
        : base("The job asked to be retried.")
    {
    }

    /// <summary>Creates the interrupt with a message.</summary>
    public RetryInterrupt(string message)
        : base(message)
    {
    }

    /// <summary>Creates the interrupt with a message and cause.</summary>
    public RetryInterrupt(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
