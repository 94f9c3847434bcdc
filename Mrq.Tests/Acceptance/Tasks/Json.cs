using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mrq.Tests.Acceptance.Tasks;

/// <summary>Reads a JSON number whatever CLR type backs it (an int written by a test, a double read from storage).</summary>
internal static class Json
{
    public static double? Number(JsonNode? node) =>
        node is not null && node.GetValueKind() == JsonValueKind.Number ? double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) : null;
}
