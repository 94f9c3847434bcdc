using Microsoft.Extensions.Configuration;

namespace Mrq.Cli.Configuration;

/// <summary>
/// Reads the literal settings of an MRQ Python config module (<c>--config mrq_config.py</c>) without running it:
/// module-level <c>UPPER_CASE = literal</c> assignments, where a literal is a string, number, <c>True</c>/<c>False</c>/<c>None</c>,
/// list, tuple or dict with string keys, nested. Imports, comments and the module docstring are skipped; lowercase names
/// are ignored when their value is a literal. Anything else (a lambda, a call, a name, an expression, <c>def</c>) is
/// refused. The values are flattened as the JSON configuration provider flattens <c>mrq.json</c>: <c>QUEUES</c> becomes
/// <c>queues:0</c>, <c>queues:1</c>…, <c>True</c> "True", <c>None</c> a null value, an empty list or dict "".
/// </summary>
internal sealed class PythonConfigReader
{
    private const string RawQueuesHint = "; register raw queues with ConfigureMrq in the tasks assembly";

    private readonly string _file;
    private readonly IReadOnlyList<PythonToken> _tokens;
    private int _index;
    private string _key = string.Empty;

    private PythonConfigReader(string file, string text)
    {
        _file = file;
        _tokens = PythonConfigTokenizer.Tokenize(text);
    }

    private PythonToken Current => _tokens[Math.Min(_index, _tokens.Count - 1)];

    /// <summary>The settings of the module <paramref name="file"/>, keyed as the JSON provider keys <c>mrq.json</c>.</summary>
    /// <exception cref="CliUsageException">The file cannot be read, or a statement is not a literal setting (the message names the file, line and key).</exception>
    public static IReadOnlyDictionary<string, string?> Read(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"config file '{file}' cannot be read: {ex.Message}", ex);
        }

        return new PythonConfigReader(file, text).ReadModule();
    }

    private Dictionary<string, string?> ReadModule()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var first = true;
        while (Current.Kind != PythonTokenKind.End)
        {
            var token = Current;
            if (token.Kind == PythonTokenKind.Newline)
            {
                _index++;
                continue;
            }

            if (token.Kind == PythonTokenKind.Name && token.Text is "import" or "from")
            {
                SkipStatement();
            }
            else if (token.Kind == PythonTokenKind.String && first)
            {
                _key = "the module docstring";
                ReadValue("docstring", []);
                ExpectStatementEnd();
            }
            else if (token.Kind == PythonTokenKind.Name && _tokens[Math.Min(_index + 1, _tokens.Count - 1)].Is("="))
            {
                ReadAssignment(settings);
            }
            else
            {
                var what = token.Kind == PythonTokenKind.Name && _tokens[Math.Min(_index + 1, _tokens.Count - 1)] is { Kind: PythonTokenKind.Name } next
                    ? $"{token.Text} {next.Text}"
                    : Describe(token);
                throw Refused(token.Line, $"'{what}' is not a literal setting (only UPPER_CASE = literal assignments, imports and comments are read)");
            }

            first = false;
        }

        return settings;
    }

    private void ReadAssignment(Dictionary<string, string?> settings)
    {
        var name = Current.Text;
        _key = name;
        _index += 2;
        var key = name.ToLowerInvariant();
        var pairs = new List<KeyValuePair<string, string?>>();
        ReadValue(key, pairs);
        ExpectStatementEnd();

        // MRQ reads the module's upper-case attributes; a later assignment replaces an earlier one.
        if (!name.Any(char.IsLower) && !name.StartsWith('_'))
        {
            foreach (var earlier in Subtree(settings.Keys, key))
            {
                settings.Remove(earlier);
            }

            foreach (var (path, value) in pairs)
            {
                settings[path] = value;
            }
        }
    }

    private void SkipStatement()
    {
        while (Current.Kind is not (PythonTokenKind.Newline or PythonTokenKind.End))
        {
            if (Current.Kind == PythonTokenKind.Error)
            {
                throw Refused(Current.Line, $"import is not valid ({Current.Text})");
            }

            _index++;
        }
    }

    private void ExpectStatementEnd()
    {
        var token = Current;
        if (token.Kind is not (PythonTokenKind.Newline or PythonTokenKind.End))
        {
            throw NotALiteral(token, token.Is("(") ? "function call" : token.Is("=") ? "chained assignment" : $"expression with '{token.Text}'");
        }
    }

    /// <summary>Reads one literal at <see cref="Current"/>, adding its flattened entries under <paramref name="path"/>.</summary>
    private void ReadValue(string path, List<KeyValuePair<string, string?>> pairs)
    {
        var token = Current;
        _index++;
        switch (token.Kind)
        {
            case PythonTokenKind.String:
                pairs.Add(KeyValuePair.Create(path, (string?)ReadConcatenation(token.Text)));
                return;
            case PythonTokenKind.Number:
            case PythonTokenKind.Punct when token.Text is "-" or "+" && Current.Kind == PythonTokenKind.Number:
                _index--;
                pairs.Add(KeyValuePair.Create(path, (string?)ReadArithmetic()));
                return;
            case PythonTokenKind.Name when token.Text is "True" or "False" or "None":
                // As the JSON provider writes true, false and null.
                pairs.Add(KeyValuePair.Create(path, token.Text == "None" ? null : token.Text));
                return;
            case PythonTokenKind.Name:
                throw NotALiteral(token, token.Text == "lambda" ? "lambda" : NameUse(token));
            case PythonTokenKind.Punct when token.Text is "[" or "(":
                ReadSequence(token, path, pairs);
                return;
            case PythonTokenKind.Punct when token.Text == "{":
                ReadDict(token, path, pairs);
                return;
            case PythonTokenKind.Punct when token.Text == "...":
                throw NotALiteral(token, "...");
            case PythonTokenKind.Error:
                throw NotALiteral(token, token.Text);
            case PythonTokenKind.Newline or PythonTokenKind.End:
                throw NotALiteral(token, "no value");
            default:
                throw NotALiteral(token, $"expression with '{token.Text}'");
        }
    }

    /// <summary>
    /// A number, or constant arithmetic on numbers (<c>2 * 24 * 3600</c>, <c>-1</c>, <c>0.5 + 1</c>), as MRQ configs
    /// write durations: folded here with Python's precedence (<c>* / // %</c> before <c>+ -</c>); integers stay
    /// integers except through <c>/</c>. Nothing else (names, calls, brackets) is an operand.
    /// </summary>
    private string ReadArithmetic()
    {
        var start = _index;
        var value = ReadTerm();
        while (Current.Kind == PythonTokenKind.Punct && Current.Text is "+" or "-")
        {
            var op = Current.Text;
            _index++;
            var right = ReadTerm();
            value = op == "+" ? value.Add(right) : value.Add(right.Negate());
        }

        // A plain (signed) number keeps its text as written (-2.5e3, 0x10 as the tokenizer gave it).
        return (_index - start) switch
        {
            1 => _tokens[start].Text,
            2 when _tokens[start].Text is "-" or "+" => (_tokens[start].Text == "-" ? "-" : string.Empty) + _tokens[start + 1].Text,
            _ => value.ToText(),
        };
    }

    private PythonNumber ReadTerm()
    {
        var value = ReadSignedNumber();
        while (Current.Kind == PythonTokenKind.Punct && Current.Text is "*" or "/" or "//" or "%")
        {
            var op = Current;
            _index++;
            var text = op.Text;
            if (Current.Kind == PythonTokenKind.Punct && Current.Text == text && text is "/" or "*")
            {
                // The tokenizer gives // and ** as two characters.
                text += text;
                _index++;
            }

            if (text == "**")
            {
                throw NotALiteral(op, "expression with '**'");
            }

            var right = ReadSignedNumber();
            value = value.Apply(text, right) ?? throw NotALiteral(op, "division by zero");
        }

        return value;
    }

    private PythonNumber ReadSignedNumber()
    {
        var token = Current;
        var negative = false;
        while (token.Kind == PythonTokenKind.Punct && token.Text is "-" or "+")
        {
            negative ^= token.Text == "-";
            _index++;
            token = Current;
        }

        if (token.Kind != PythonTokenKind.Number)
        {
            throw NotALiteral(token, token.Kind == PythonTokenKind.Name ? NameUse(token) : $"expression with '{token.Text}'");
        }

        _index++;
        var number = PythonNumber.Parse(token.Text);
        return negative ? number.Negate() : number;
    }

    private string ReadConcatenation(string text)
    {
        while (Current.Kind == PythonTokenKind.String)
        {
            text += Current.Text;
            _index++;
        }

        return text;
    }

    /// <summary>A list or tuple as <c>path:0</c>, <c>path:1</c>…; <c>(x)</c> without a comma is <c>x</c> itself.</summary>
    private void ReadSequence(PythonToken open, string path, List<KeyValuePair<string, string?>> pairs)
    {
        var close = open.Text == "[" ? "]" : ")";
        var elements = new List<KeyValuePair<string, string?>>();
        var count = 0;
        var comma = false;
        while (!Current.Is(close))
        {
            ReadValue(ConfigurationPath.Combine(path, count.ToString(System.Globalization.CultureInfo.InvariantCulture)), elements);
            count++;
            comma = Current.Is(",");
            if (comma)
            {
                _index++;
            }
            else
            {
                ExpectClose(open, close);
            }
        }

        _index++;
        if (open.Text == "(" && count == 1 && !comma)
        {
            // A parenthesized value, not a tuple: path:0 → path.
            var element = ConfigurationPath.Combine(path, "0");
            pairs.AddRange(elements.Select(e => KeyValuePair.Create(path + e.Key[element.Length..], e.Value)));
            return;
        }

        AddContainer(path, elements, pairs);
    }

    private void ReadDict(PythonToken open, string path, List<KeyValuePair<string, string?>> pairs)
    {
        var entries = new List<KeyValuePair<string, string?>>();
        while (!Current.Is("}"))
        {
            var key = Current;
            _index++;
            if (key.Kind != PythonTokenKind.String)
            {
                throw NotALiteral(key, key.Kind == PythonTokenKind.Error ? key.Text : "dict key is not a string");
            }

            var name = ReadConcatenation(key.Text);
            if (!Current.Is(":"))
            {
                throw NotALiteral(Current, Current.Is(",") || Current.Is("}") ? "set" : "dict entry without ':'");
            }

            _index++;
            var entryPath = ConfigurationPath.Combine(path, name);
            var earlier = Subtree(entries.Select(e => e.Key), entryPath);
            entries.RemoveAll(e => earlier.Contains(e.Key));
            ReadValue(entryPath, entries);
            if (Current.Is(","))
            {
                _index++;
            }
            else
            {
                ExpectClose(open, "}");
            }
        }

        _index++;
        AddContainer(path, entries, pairs);
    }

    /// <summary>After an element without a comma, the bracket must close here.</summary>
    private void ExpectClose(PythonToken open, string close)
    {
        var token = Current;
        if (token.Is(close))
        {
            return;
        }

        var unclosed = token.Kind is PythonTokenKind.End or PythonTokenKind.Newline
            || (token.Kind is PythonTokenKind.Name or PythonTokenKind.String or PythonTokenKind.Number && token.Line > _tokens[_index - 1].Line);
        throw unclosed
            ? NotALiteral(open, $"'{open.Text}' is never closed")
            : NotALiteral(token, token.Is("(") ? "function call" : $"expression with '{token.Text}'");
    }

    /// <summary>As the JSON provider: an empty list or dict is the path with an empty value.</summary>
    private static void AddContainer(string path, List<KeyValuePair<string, string?>> entries, List<KeyValuePair<string, string?>> pairs)
    {
        if (entries.Count == 0)
        {
            pairs.Add(KeyValuePair.Create(path, (string?)string.Empty));
        }

        pairs.AddRange(entries);
    }

    /// <summary><paramref name="path"/> and the keys under it, among <paramref name="keys"/> (a repeated key replaces the earlier value).</summary>
    private static HashSet<string> Subtree(IEnumerable<string> keys, string path) => keys
        .Where(k => string.Equals(k, path, StringComparison.OrdinalIgnoreCase) || k.StartsWith(path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>"function call (os.getenv)" or "name reference (os.environ)" for a name used as a value.</summary>
    private string NameUse(PythonToken name)
    {
        var dotted = name.Text;
        while (Current.Is(".") && _tokens[Math.Min(_index + 1, _tokens.Count - 1)] is { Kind: PythonTokenKind.Name } part)
        {
            dotted += "." + part.Text;
            _index += 2;
        }

        return Current.Is("(") ? $"function call {dotted}(…)" : $"name reference {dotted}";
    }

    private static string Describe(PythonToken token) => token.Kind == PythonTokenKind.String ? "a string expression" : token.Text;

    private CliUsageException NotALiteral(PythonToken token, string reason) =>
        Refused(token.Line, $"{_key} is not a literal ({reason})" + (string.Equals(_key, "RAW_QUEUES", StringComparison.OrdinalIgnoreCase) ? RawQueuesHint : string.Empty));

    private CliUsageException Refused(int line, string message) => new($"config file '{_file}' line {line}: {message}");
}
