using System.Globalization;
using System.Text;

namespace Parley.Features.Search;

/// <summary>
/// BM25's term-frequency saturation and length normalisation, scored in process over a query's candidates (on
/// SQLite). Without the inverse document frequency: every candidate holds every part of the query, so it would
/// weigh all of them alike, and computing it made FTS5 read the whole index list of each term (the owner's
/// included) on every query: 15-600 ms for one user with 100,000 messages (bench/README.md, Search).
/// </summary>
internal static class Relevance
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    public static double[] Score(SearchQuery query, IReadOnlyList<string> texts)
    {
        var tokens = texts.Select(Tokens).ToList();
        var average = tokens.Count == 0 ? 1 : Math.Max(1, tokens.Average(t => t.Length));
        List<string[]> sequences = [.. query.Words.Concat(query.Phrases).Select(Tokens).Where(t => t.Length > 0)];
        var prefix = query.Prefix is null ? null : Fold(query.Prefix);
        var scores = new double[texts.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            var doc = tokens[i];
            var norm = K1 * (1 - B + (B * doc.Length / average));
            var score = 0.0;
            foreach (var sequence in sequences)
            {
                score += Saturate(Occurrences(doc, sequence), norm);
            }

            if (prefix is not null)
            {
                score += Saturate(doc.Count(t => t.StartsWith(prefix, StringComparison.Ordinal)), norm);
            }

            scores[i] = score;
        }

        return scores;
    }

    private static double Saturate(int tf, double norm) => tf == 0 ? 0 : tf * (K1 + 1) / (tf + norm);

    private static int Occurrences(string[] doc, string[] sequence)
    {
        var count = 0;
        for (var i = 0; i + sequence.Length <= doc.Length; i++)
        {
            var all = true;
            for (var k = 0; k < sequence.Length && all; k++)
            {
                all = doc[i + k] == sequence[k];
            }

            count += all ? 1 : 0;
        }

        return count;
    }

    /// <summary>Words as unicode61 with diacritics removed sees them: letters and digits, lower case, no marks.</summary>
    public static string[] Tokens(string text) =>
        Fold(text).Split(c => !char.IsLetterOrDigit(c));

    private static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }

        return folded.ToString();
    }

    private static string[] Split(this string text, Func<char, bool> separator)
    {
        List<string> parts = [];
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || separator(text[i]);
            if (!boundary && start < 0)
            {
                start = i;
            }
            else if (boundary && start >= 0)
            {
                parts.Add(text[start..i]);
                start = -1;
            }
        }

        return [.. parts];
    }
}
