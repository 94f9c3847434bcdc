using System.Globalization;
using System.Numerics;
using System.Text;

namespace Mrq.Cli.Configuration;

/// <summary>
/// Splits a Python module into the tokens a literal needs: names, strings (all quote forms, escapes decoded), numbers,
/// punctuation and logical line ends. Comments and line continuations are dropped; newlines inside brackets are not
/// line ends. Stops at the first <see cref="PythonTokenKind.Error"/> token.
/// </summary>
internal sealed class PythonConfigTokenizer
{
    private readonly string _text;
    private readonly List<PythonToken> _tokens = [];
    private int _position;
    private int _line = 1;
    private int _depth;

    private PythonConfigTokenizer(string text) => _text = text;

    /// <summary>The tokens of <paramref name="text"/>, ending with one <see cref="PythonTokenKind.End"/> token.</summary>
    public static IReadOnlyList<PythonToken> Tokenize(string text)
    {
        var tokenizer = new PythonConfigTokenizer(text.Replace("\r\n", "\n", StringComparison.Ordinal));
        tokenizer.Run();
        return tokenizer._tokens;
    }

    private char Current => _position < _text.Length ? _text[_position] : '\0';

    private char At(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private void Run()
    {
        while (_position < _text.Length)
        {
            var c = Current;
            if (c == '\n')
            {
                if (_depth == 0)
                {
                    Add(PythonTokenKind.Newline, "\n", _line);
                }

                _line++;
                _position++;
            }
            else if (c == '#')
            {
                while (_position < _text.Length && Current != '\n')
                {
                    _position++;
                }
            }
            else if (c == '\\' && At(1) == '\n')
            {
                _position += 2;
                _line++;
            }
            else if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                _position++;
            }
            else if (!ReadToken())
            {
                break;
            }
        }

        Add(PythonTokenKind.End, string.Empty, _line);
    }

    /// <summary>Reads one token at the current position; false after an error token (tokenizing stops).</summary>
    private bool ReadToken()
    {
        var c = Current;
        var start = _position;
        if (char.IsLetter(c) || c == '_')
        {
            while (char.IsLetterOrDigit(Current) || Current == '_')
            {
                _position++;
            }

            var name = _text[start.._position];
            return Current is '\'' or '"' && IsStringPrefix(name) ? ReadString(name.ToLowerInvariant()) : Add(PythonTokenKind.Name, name, _line);
        }

        if (c is '\'' or '"')
        {
            return ReadString(string.Empty);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(1))))
        {
            return ReadNumber();
        }

        if (c == '.' && At(1) == '.' && At(2) == '.')
        {
            _position += 3;
            return Add(PythonTokenKind.Punct, "...", _line);
        }

        if (c is '(' or '[' or '{')
        {
            _depth++;
        }
        else if (c is ')' or ']' or '}')
        {
            _depth = Math.Max(0, _depth - 1);
        }

        _position++;
        return Add(PythonTokenKind.Punct, c.ToString(), _line);
    }

    private static bool IsStringPrefix(string name) =>
        name.ToLowerInvariant() is "r" or "u" or "b" or "f" or "br" or "rb" or "fr" or "rf";

    private bool ReadString(string prefix)
    {
        var line = _line;
        var quote = Current;
        var triple = At(1) == quote && At(2) == quote;
        _position += triple ? 3 : 1;
        var raw = prefix.Contains('r', StringComparison.Ordinal);
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length || (!triple && Current == '\n'))
            {
                return Add(PythonTokenKind.Error, "unterminated string", line);
            }

            var c = Current;
            if (c == quote && (!triple || (At(1) == quote && At(2) == quote)))
            {
                _position += triple ? 3 : 1;
                break;
            }

            if (c == '\n')
            {
                _line++;
            }

            if (c == '\\' && !ReadEscape(value, raw))
            {
                return Add(PythonTokenKind.Error, "unsupported escape in a string", _line);
            }
            else if (c != '\\')
            {
                value.Append(c);
                _position++;
            }
        }

        return prefix.Contains('f', StringComparison.Ordinal) ? Add(PythonTokenKind.Error, "f-string", line)
            : prefix.Contains('b', StringComparison.Ordinal) ? Add(PythonTokenKind.Error, "bytes", line)
            : Add(PythonTokenKind.String, value.ToString(), line);
    }

    /// <summary>Decodes the escape at the current backslash into <paramref name="value"/>; false for <c>\N{…}</c> or a bad hex escape.</summary>
    private bool ReadEscape(StringBuilder value, bool raw)
    {
        var next = At(1);
        if (next == '\n')
        {
            _line++;
        }

        if (raw || next == '\0')
        {
            // A raw string keeps the backslash and the character after it (so r"\"" does not end the string).
            value.Append('\\');
            _position++;
            if (next != '\0')
            {
                value.Append(next);
                _position++;
            }

            return true;
        }

        _position += 2;
        switch (next)
        {
            case '\n': return true;
            case '\\' or '\'' or '"': value.Append(next); return true;
            case 'a': value.Append('\a'); return true;
            case 'b': value.Append('\b'); return true;
            case 'f': value.Append('\f'); return true;
            case 'n': value.Append('\n'); return true;
            case 'r': value.Append('\r'); return true;
            case 't': value.Append('\t'); return true;
            case 'v': value.Append('\v'); return true;
            case 'x': return AppendCodePoint(value, 2, 16);
            case 'u': return AppendCodePoint(value, 4, 16);
            case 'U': return AppendCodePoint(value, 8, 16);
            case >= '0' and <= '7':
                _position--;
                return AppendCodePoint(value, 3, 8);
            case 'N': return false;
            default:
                // Python keeps an unknown escape as written.
                value.Append('\\').Append(next);
                return true;
        }
    }

    /// <summary>Up to (octal) or exactly (hex) <paramref name="digits"/> digits in <paramref name="radix"/> as one code point.</summary>
    private bool AppendCodePoint(StringBuilder value, int digits, int radix)
    {
        var start = _position;
        while (_position - start < digits && (radix == 8 ? Current is >= '0' and <= '7' : char.IsAsciiHexDigit(Current)))
        {
            _position++;
        }

        var text = _text[start.._position];
        if (radix == 16 && text.Length != digits)
        {
            return false;
        }

        var code = Convert.ToInt32(text, radix);
        if (code > 0x10FFFF)
        {
            return false;
        }

        value.Append(char.ConvertFromUtf32(code));
        return true;
    }

    private bool ReadNumber()
    {
        var start = _position;
        while (char.IsAsciiLetterOrDigit(Current) || Current is '_' or '.'
            || (Current is '+' or '-' && At(-1) is 'e' or 'E' && !_text[start.._position].StartsWith("0x", StringComparison.OrdinalIgnoreCase)))
        {
            _position++;
        }

        var text = _text[start.._position].Replace("_", string.Empty, StringComparison.Ordinal);
        return Number(text) is { } value ? Add(PythonTokenKind.Number, value, _line) : Add(PythonTokenKind.Error, $"number '{text}'", _line);
    }

    /// <summary>A Python int or float as decimal text, or null for what is not one (complex numbers included).</summary>
    private static string? Number(string text)
    {
        var lower = text.ToLowerInvariant();
        int? radix = lower.StartsWith("0x", StringComparison.Ordinal) ? 16 : lower.StartsWith("0o", StringComparison.Ordinal) ? 8 : lower.StartsWith("0b", StringComparison.Ordinal) ? 2 : null;
        if (radix is { } r)
        {
            try
            {
                return lower.Length > 2 ? Convert.ToInt64(lower[2..], r).ToString(CultureInfo.InvariantCulture) : null;
            }
            catch (FormatException)
            {
                return null;
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        if (lower.All(char.IsAsciiDigit))
        {
            return BigInteger.Parse(lower, NumberStyles.None, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        if (!double.TryParse(lower, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        // Keep the float as written where JSON would accept it (1.5, 2e3); complete "1." and ".5".
        var mantissaEnd = lower.IndexOf('e', StringComparison.Ordinal) is var e and >= 0 ? e : lower.Length;
        var mantissa = lower[..mantissaEnd];
        mantissa = mantissa.StartsWith('.') ? "0" + mantissa : mantissa;
        mantissa = mantissa.EndsWith('.') ? mantissa + "0" : mantissa;
        return mantissa + lower[mantissaEnd..];
    }

    private bool Add(PythonTokenKind kind, string text, int line)
    {
        _tokens.Add(new PythonToken(kind, text, line));
        return kind != PythonTokenKind.Error;
    }
}
