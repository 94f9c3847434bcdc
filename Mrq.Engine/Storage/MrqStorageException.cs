namespace Mrq.Storage;

/// <summary>A storage cannot be used: a file is corrupt or locked, a server is unreachable. The message names it (never with a password).</summary>
public sealed class MrqStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MrqStorageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MrqStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MrqStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message, its cause, and whether retrying the same call can ever succeed.</summary>
    /// <param name="message">What failed, naming the storage (never with a password).</param>
    /// <param name="innerException">The cause.</param>
    /// <param name="isPermanent">True when the same call will fail again however often it is retried (a document
    /// too large, a value that cannot be serialized); false for outages that may pass (a server down, a full disk).</param>
    public MrqStorageException(string message, Exception innerException, bool isPermanent)
        : base(message, innerException)
    {
        IsPermanent = isPermanent;
    }

    /// <summary>
    /// True when retrying the same call cannot succeed (for example a result over the storage's document size limit):
    /// callers stop retrying and store a failure instead. False (the default) for errors that may pass.
    /// </summary>
    public bool IsPermanent { get; }
}
