namespace Mrq.Cli.Configuration;

/// <summary>What a <see cref="PythonToken"/> is.</summary>
internal enum PythonTokenKind
{
    /// <summary>An identifier or keyword (<c>QUEUES</c>, <c>True</c>, <c>lambda</c>, <c>import</c>).</summary>
    Name,

    /// <summary>A string literal; the text is its decoded value.</summary>
    String,

    /// <summary>A number; the text is its value as the JSON provider would write it.</summary>
    Number,

    /// <summary>Punctuation or an operator (<c>[</c>, <c>,</c>, <c>=</c>, <c>+</c>, <c>...</c>).</summary>
    Punct,

    /// <summary>The end of a logical line (never inside brackets).</summary>
    Newline,

    /// <summary>Text that is not a literal the reader takes (an f-string, bytes, an unterminated string); the text says what.</summary>
    Error,

    /// <summary>The end of the file.</summary>
    End,
}

/// <summary>One token of a Python config module, with the line it starts on (1-based).</summary>
internal readonly record struct PythonToken(PythonTokenKind Kind, string Text, int Line)
{
    /// <summary>True for the punctuation <paramref name="text"/>.</summary>
    public bool Is(string text) => Kind == PythonTokenKind.Punct && Text == text;
}
