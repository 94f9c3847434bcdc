using System.Globalization;

namespace Mrq.Cli.Configuration;

/// <summary>A Python int or float of a config file's constant arithmetic (see <c>PythonConfigReader.ReadArithmetic</c>).</summary>
internal readonly record struct PythonNumber(long? Integer, double Float)
{
    public static PythonNumber Parse(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? new PythonNumber(integer, integer)
            : new PythonNumber(null, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));

    public PythonNumber Negate() => Integer is { } i ? new PythonNumber(-i, -i) : new PythonNumber(null, -Float);

    public PythonNumber Add(PythonNumber other) =>
        Integer is { } a && other.Integer is { } b ? new PythonNumber(a + b, a + b) : new PythonNumber(null, Float + other.Float);

    /// <summary><c>* / // %</c> as Python computes them; null for a division by zero.</summary>
    public PythonNumber? Apply(string op, PythonNumber other)
    {
        if (op is "/" or "//" or "%" && other.Float == 0)
        {
            return null;
        }

        if (Integer is { } a && other.Integer is { } b && op != "/")
        {
            // Python's // and % round toward negative infinity.
            var result = op switch
            {
                "*" => a * b,
                "//" => (long)Math.Floor((double)a / b),
                _ => ((a % b) + b) % b,
            };
            return new PythonNumber(result, result);
        }

        var value = op switch
        {
            "*" => Float * other.Float,
            "/" => Float / other.Float,
            "//" => Math.Floor(Float / other.Float),
            _ => Float - (Math.Floor(Float / other.Float) * other.Float),
        };
        return new PythonNumber(null, value);
    }

    /// <summary>As the JSON provider writes the value.</summary>
    public string ToText() => Integer is { } i ? i.ToString(CultureInfo.InvariantCulture) : Float.ToString("R", CultureInfo.InvariantCulture);
}
