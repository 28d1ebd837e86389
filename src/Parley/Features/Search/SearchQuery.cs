using System.Text;

namespace Parley.Features.Search;

/// <summary>
/// What a user typed in the search box, read the same way on both databases: words and "quoted phrases", all of
/// which must match, the last word also as a prefix while it is still being typed (no space after it). Everything
/// else the engines would treat as syntax (operators, column filters, parentheses, stars, colons) is only text
/// here: each part is handed to the engine as a quoted string or a parameter, never spliced into its grammar.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<string> Words, IReadOnlyList<string> Phrases, string? Prefix)
{
    public const int MaxLength = 200;

    /// <summary>The shortest last word that is matched as a prefix.</summary>
    public const int MinPrefix = 2;

    /// <summary>More parts than this are dropped: a query of 200 one-letter words would only be slow.</summary>
    private const int MaxParts = 16;

    public bool IsEmpty => Words.Count == 0 && Phrases.Count == 0 && Prefix is null;

    public static SearchQuery Parse(string? text)
    {
        List<string> words = [];
        List<string> phrases = [];
        string? prefix = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return new SearchQuery(words, phrases, prefix);
        }

        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length;
            var c = end ? '\0' : text[i];
            if (!end && c == '"')
            {
                Flush(quoted ? phrases : words);
                quoted = !quoted;
                continue;
            }

            if (end || (!quoted && IsSeparator(c)))
            {
                // The last bare word, with nothing typed after it, is still being written: it matches as a prefix.
                if (end && !quoted && current.Length > 0 && !IsSeparator(text[^1]))
                {
                    // Only its last run of letters and digits: that is all an engine's prefix can match, and it
                    // keeps the prefix free of anything either query language would read as syntax.
                    var token = Clean(current.ToString());
                    var start = token.Length;
                    while (start > 0 && char.IsLetterOrDigit(token[start - 1]))
                    {
                        start--;
                    }

                    prefix = token[start..];
                    current.Clear().Append(token[..start]);
                    if (prefix.Length < MinPrefix)
                    {
                        // One letter would match nearly everything: it is a word of its own until the next is typed.
                        current.Append(prefix);
                        prefix = null;
                    }
                }

                Flush(quoted ? phrases : words);
                continue;
            }

            current.Append(c);
        }

        // An unclosed quote is a phrase still being typed: its words so far, as a phrase.
        if (prefix is { Length: 0 })
        {
            prefix = null;
        }

        return new SearchQuery([.. words.Distinct().Take(MaxParts)], [.. phrases.Distinct().Take(MaxParts)], prefix);

        void Flush(List<string> into)
        {
            var part = Clean(current.ToString());
            current.Clear();
            if (Searchable(part))
            {
                into.Add(part);
            }
        }
    }

    /// <summary>Both engines index letters and digits only: a part with neither would match nothing, or confuse them.</summary>
    private static bool Searchable(string part) => part.Any(char.IsLetterOrDigit);

    /// <summary>Splits on what no engine treats as part of a word; control characters become spaces.</summary>
    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || char.IsControl(c);

    private static string Clean(string part) =>
        new string([.. part.Select(c => char.IsControl(c) || c == '"' ? ' ' : c)]).Trim();

    /// <summary>
    /// The query in FTS5's syntax: every part a string (double quotes doubled), the prefix with a star outside it,
    /// the text matched in the Content (or Title) column only. Strings are tokenized like the text, so
    /// punctuation inside them is only a separator.
    /// </summary>
    public string ToFts5(string column)
    {
        var parts = Words.Concat(Phrases).Select(Quote).ToList();
        if (Prefix is not null)
        {
            parts.Add(Quote(Prefix) + "*");
        }

        return $"{column} : ({string.Join(" AND ", parts)})";

        static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// For PostgreSQL's <c>websearch_to_tsquery</c>: every word and phrase in double quotes, so words such as
    /// <c>or</c> and a leading <c>-</c> are text, not operators.
    /// </summary>
    public string ToWebSearch() =>
        string.Join(' ', Words.Concat(Phrases).Select(p => "\"" + p + "\""));
}
