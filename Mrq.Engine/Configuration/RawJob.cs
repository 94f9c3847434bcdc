using System.Text.Json.Nodes;

namespace Mrq.Configuration;

/// <summary>What a raw queue's job factory makes of a raw member: the task path and its params.</summary>
/// <param name="Path">The task path.</param>
/// <param name="Params">The task params.</param>
public sealed record RawJob(string Path, JsonObject Params);
