namespace Mrq.Monitoring;

/// <summary>Task path matching for monitoring: a plain value is a prefix; <c>*</c> matches any run of characters.</summary>
public static class PathPatterns
{
    /// <summary>True when <paramref name="path"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(path);
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return path.StartsWith(pattern, StringComparison.Ordinal);
        }

        return MatchesGlob(pattern.AsSpan(), path.AsSpan());
    }

    // Iterative glob with backtracking to the last star: linear in practice, no regex built from user input.
    private static bool MatchesGlob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
