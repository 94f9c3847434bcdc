using System.Collections.Concurrent;
using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Query predicates with their values as parameters. LiteDB's <c>Query.Between/EQ/LT</c> write the values into the
/// expression text, so every distinct value is parsed and compiled again (milliseconds) and kept in LiteDB's
/// unbounded expression cache (a leak under a stream of distinct claim keys); a constant text with parameters is
/// compiled once.
/// </summary>
internal static class Expressions
{
    private static readonly ConcurrentDictionary<(string Field, string Operator), string> s_texts = new();

    /// <summary><c>field BETWEEN low AND high</c> (both inclusive).</summary>
    public static BsonExpression Between(string field, BsonValue low, BsonValue high) =>
        BsonExpression.Create(Text(field, "BETWEEN"), low, high);

    /// <summary><c>field = value</c>.</summary>
    public static BsonExpression Equal(string field, BsonValue value) => BsonExpression.Create(Text(field, "="), value);

    /// <summary>The jobs whose unique key is <paramref name="key"/>, through <see cref="JobFields.UniqueKeyIndex"/>.</summary>
    public static BsonExpression UniqueKeyEquals(string key) =>
        BsonExpression.Create(JobFields.UniqueKeyIndexExpression + " ANY = @0", key);

    /// <summary><c>field &lt; value</c>.</summary>
    public static BsonExpression LessThan(string field, BsonValue value) => BsonExpression.Create(Text(field, "<"), value);

    private static string Text(string field, string op) =>
        s_texts.GetOrAdd((field, op), static key => key.Operator == "BETWEEN"
            ? $"$.{key.Field} BETWEEN @0 AND @1"
            : $"$.{key.Field} {key.Operator} @0");
}
