namespace Mrq.Diagnostics;

/// <summary>
/// Mrq's traces: an <see cref="System.Diagnostics.ActivitySource"/> named <c>Mrq</c>. Enqueuing jobs makes a
/// <c>send {queue}</c> span (kind Producer) whose W3C trace context is stored with each job (fields
/// <c>traceparent</c>/<c>tracestate</c>, which Python MRQ ignores); running a job makes a <c>process {queue}</c> span
/// (kind Consumer) that is a child of that context, on whichever machine runs it. Attributes follow the OpenTelemetry
/// messaging conventions (<c>messaging.system</c> = <c>mrq</c>, <c>messaging.destination.name</c>,
/// <c>messaging.message.id</c>, <c>messaging.operation.type</c>) plus <c>mrq.task.path</c> and <c>mrq.job.status</c>.
/// Listen with <c>AddOpenTelemetry().WithTracing(t =&gt; t.AddSource(MrqTracing.ActivitySourceName))</c>.
/// </summary>
public static class MrqTracing
{
    /// <summary>The activity source name to listen to.</summary>
    public const string ActivitySourceName = "Mrq";

    /// <summary>The value of <c>messaging.system</c> on Mrq spans.</summary>
    public const string MessagingSystem = "mrq";
}
