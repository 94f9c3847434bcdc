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
}
