using Parley.Features.Chats;

namespace Parley.Features.Search;

public static class SearchLimits
{
    /// <summary>
    /// The most matches a query ranks, newest first: a word in most of a user's 100,000 messages (or the one letter
    /// typed so far) then costs what 1,000 do, and a query that broad is refined, not paged through.
    /// </summary>
    public const int Candidates = 1000;

    /// <summary>
    /// On PostgreSQL, how many of the user's newest messages are read in order before a query that has not filled its
    /// candidates from them asks the GIN index for every match instead (a query in 10% of messages fills them).
    /// </summary>
    public const int Walk = 10_000;
}

/// <summary>Optional limits on which messages a search looks at: one chat, and a time range (from inclusive, to exclusive).</summary>
public sealed record SearchFilter(long? ChatId, DateTime? From, DateTime? To);

/// <summary>Where the previous page ended: its last hit's score and id (scores are recomputed alike for the same data).</summary>
public sealed record SearchPosition(double Score, long MessageId);

/// <summary>A message hit with its score, from which the next page's cursor is made.</summary>
public sealed record ScoredHit(MessageHit Hit, double Score);

/// <summary>
/// Full-text search over one user's chats, on the database's own engine: FTS5 on SQLite, tsvector and GIN on
/// PostgreSQL (docs/decisions/0015-search.md). Both index each message once it is no longer streaming, and each
/// chat title, with a token naming the owner that user text can never produce, so a query only ever reads its
/// user's rows, and the engine intersects that with the words instead of filtering afterwards.
/// </summary>
public interface IMessageSearch
{
    Task<IReadOnlyList<ChatHit>> ChatsAsync(Guid userId, SearchQuery query, int limit, CancellationToken ct);

    Task<IReadOnlyList<ScoredHit>> MessagesAsync(
        Guid userId, SearchQuery query, SearchFilter filter, SearchPosition? after, int limit, CancellationToken ct);
}

internal static class Snippets
{
    /// <summary>Private-use characters the engines put around matched words (user text could hold them too: harmless).</summary>
    public const char Start = '\uE000';
    public const char End = '\uE001';

    public static string OwnerToken(Guid userId) => "u" + userId.ToString("N");

    public static IReadOnlyList<SnippetPart> Parse(string? marked)
    {
        List<SnippetPart> parts = [];
        if (string.IsNullOrEmpty(marked))
        {
            return parts;
        }

        var match = false;
        var from = 0;
        for (var i = 0; i <= marked.Length; i++)
        {
            if (i < marked.Length && marked[i] != Start && marked[i] != End)
            {
                continue;
            }

            if (i > from)
            {
                parts.Add(new SnippetPart(marked[from..i], match));
            }

            if (i < marked.Length)
            {
                match = marked[i] == Start;
            }

            from = i + 1;
        }

        return parts;
    }

    public static MessageRole Role(string stored) => Enum.Parse<MessageRole>(stored);

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
