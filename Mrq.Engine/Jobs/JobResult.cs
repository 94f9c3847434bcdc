using System.Text.Json.Nodes;

namespace Mrq.Jobs;

/// <summary>What MRQ's <c>get_job_result</c> returns: <c>{status, result}</c>.</summary>
/// <param name="Status">The job's current status.</param>
/// <param name="Result">The stored result (null unless the job succeeded with a non-null value).</param>
public sealed record JobResult(JobStatus Status, JsonNode? Result);
