using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Mrq.Dashboard.Html;

/// <summary>Markup that is written as is: only for markup the dashboard itself built.</summary>
/// <param name="Value">The markup.</param>
internal readonly record struct Markup(string Value);

/// <summary>
/// Builds an HTML page from interpolated strings whose literal parts are markup and whose every hole is
/// HTML-encoded (unless it is a <see cref="Markup"/>), so a stored value can never become markup.
/// </summary>
internal sealed class HtmlWriter
{
    private readonly StringBuilder _html = new();

    /// <summary>Appends the literal markup with every hole encoded.</summary>
    public HtmlWriter Write([InterpolatedStringHandlerArgument("")] ref Handler html)
    {
        _ = html;
        return this;
    }

    /// <summary>Appends one encoded value.</summary>
    public HtmlWriter Text(object? value)
    {
        _html.Append(Encode(value));
        return this;
    }

    public override string ToString() => _html.ToString();

    internal static string Encode(object? value) => value switch
    {
        null => string.Empty,
        IFormattable formattable => HtmlEncoder.Default.Encode(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => HtmlEncoder.Default.Encode(value.ToString() ?? string.Empty),
    };

    /// <summary>The interpolation handler: literals raw, holes encoded.</summary>
    [InterpolatedStringHandler]
    public readonly ref struct Handler
    {
        private readonly StringBuilder _html;

        public Handler(int literalLength, int formattedCount, HtmlWriter writer)
        {
            _ = formattedCount;
            _html = writer._html;
            _html.EnsureCapacity(_html.Length + literalLength);
        }

        public void AppendLiteral(string markup) => _html.Append(markup);

        public void AppendFormatted(Markup markup) => _html.Append(markup.Value);

        public void AppendFormatted<T>(T value) => _html.Append(Encode(value));
    }
}
