namespace Mrq.Storage.LiteDb;

/// <summary>Fields this backend adds to MRQ's <c>mrq_jobs</c> documents (MRQ's own names are <see cref="MrqJobFields"/>).</summary>
internal static class JobFields
{
    /// <summary>
    /// A result that is not a valid LiteDB value (an object with field names differing only by case), kept as JSON
    /// text instead of <see cref="MrqJobFields.Result"/>.
    /// </summary>
    public const string ResultJson = "result_json";

    /// <summary>
    /// The status key <see cref="StatusKey"/> builds: (status, queue, datequeued or dateexpires, _id) as sortable
    /// bytes, indexed so claims, status scans and expiry never read unrelated jobs.
    /// </summary>
    public const string StatusKey = "skey";

    /// <summary>The LiteDB path of <see cref="StatusKey"/>, as its index and the queries ordering by it name it.</summary>
    public const string StatusKeyPath = "$." + StatusKey;

    /// <summary>
    /// The index of <see cref="MrqJobFields.UniqueKey"/>. It holds only the jobs that have one: LiteDB indexes a
    /// plain path's missing value as null, so every job paid one more skip-list insert (a third of an insert's index
    /// work, measured 34.5 → 24.8 KB allocated per insert at 60k jobs) for a key almost none of them carry. A
    /// multi-key expression that yields nothing for a missing or null key indexes none.
    /// </summary>
    public const string UniqueKeyIndex = "unique_key_set";

    /// <summary>The expression of <see cref="UniqueKeyIndex"/>; queries must name it as written to use the index.</summary>
    public const string UniqueKeyIndexExpression = "FILTER(ITEMS($." + MrqJobFields.UniqueKey + ") => @ != null)";

    /// <summary>The name of the former index of every job's <see cref="MrqJobFields.UniqueKey"/>, nulls included (dropped at open).</summary>
    public const string FormerUniqueKeyIndex = MrqJobFields.UniqueKey;
}
