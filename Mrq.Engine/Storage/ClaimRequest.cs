namespace Mrq.Storage;

/// <summary>A request to claim queued jobs of one regular queue.</summary>
/// <param name="Queue">The queue (already stripped of the worker-side <c>_reverse</c> suffix).</param>
/// <param name="MaxCount">At most this many jobs (at least 1).</param>
/// <param name="Worker">The claiming worker's id, written to <c>worker</c>.</param>
/// <param name="Now">Written to <c>datestarted</c>.</param>
/// <param name="Reverse">LIFO: newest <c>(datequeued, _id)</c> first.</param>
/// <param name="PathWhitelist">When set, only jobs whose path is in it.</param>
/// <param name="PathBlacklist">When set, only jobs whose path is not in it.</param>
public sealed record ClaimRequest(
    string Queue,
    int MaxCount,
    string Worker,
    DateTime Now,
    bool Reverse = false,
    IReadOnlyList<string>? PathWhitelist = null,
    IReadOnlyList<string>? PathBlacklist = null);
