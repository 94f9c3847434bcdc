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
}
