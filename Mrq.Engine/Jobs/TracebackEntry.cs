namespace Mrq.Jobs;

/// <summary>One entry of <c>traceback_history</c>: <c>{date, status, exceptiontype, traceback, original_traceback?, worker}</c>.</summary>
/// <param name="Date">When the exception status was saved (UTC).</param>
/// <param name="Status">The status saved.</param>
/// <param name="ExceptionType">The exception's type name.</param>
/// <param name="Traceback">The full stack trace text.</param>
/// <param name="OriginalTraceback">The inner exception's trace, when the exception was raised while handling another.</param>
/// <param name="Worker">The worker that saved it.</param>
public sealed record TracebackEntry(
    DateTime Date, JobStatus Status, string ExceptionType, string Traceback, string? OriginalTraceback, string? Worker);
