using Zxcvbn.Matcher;

namespace Parley.Features.Auth;

/// <summary>
/// Refuses guessable passwords with zxcvbn (the estimator the sign-up form also runs, for instant feedback): a score
/// under 2 ("too guessable" / "very guessable"), or a password that is itself on zxcvbn's common-password list.
/// Length rules stay on the request; nothing is trimmed, so eight spaces are eight characters, and weak.
/// </summary>
public sealed class PasswordStrength
{
    public const int MinimumScore = 2;

    // Building the matchers loads zxcvbn's dictionaries (~150 ms); one instance serves every request (~3 ms each).
    private readonly Zxcvbn.Zxcvbn _zxcvbn = new();
    private readonly Lock _gate = new();

    /// <summary>Why <paramref name="password"/> is too weak, in words a person can act on; null when it is fine.</summary>
    public string? Problem(string password, string? email)
    {
        Zxcvbn.Result result;
        lock (_gate)
        {
            // The email's parts count as known words: "alice@example.com" makes "alice2024" weaker still.
            result = _zxcvbn.EvaluatePassword(password, email is null ? [] : email.Split('@', '.', '+', '-', '_'));
        }

        var matches = result.MatchSequence.ToList();
        if (matches.Count > 0 && matches.All(m => m is DictionaryMatch { DictionaryName: "passwords" }))
        {
            return "This is one of the most common passwords, so it is among the first anyone would try. Choose something else, such as three or four unrelated words.";
        }

        if (result.Score >= MinimumScore)
        {
            return null;
        }

        return matches switch
        {
            _ when matches.Any(m => m is RepeatMatch) =>
                "Repeated characters (like \"aaaa\") are easy to guess. Use a few unrelated words instead.",
            _ when matches.Any(m => m is SequenceMatch or SpatialMatch) =>
                "Sequences and keyboard patterns (like \"1234\" or \"qwerty\") are easy to guess. Use a few unrelated words instead.",
            _ when matches.Any(m => m is DictionaryMatch { DictionaryName: "passwords" }) =>
                "This password is built from very common passwords, so it is easy to guess. Add another word or two that nobody would expect.",
            _ => "This password is too easy to guess. Make it longer: a few unrelated words are strong and easy to remember.",
        };
    }
}
