using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Search;

/// <summary>
/// FTS5: <c>MessageSearch</c> and <c>ChatSearch</c> (Owner, text) kept in step by triggers (migration Search; message
/// text in batches, <see cref="SqliteSearchIndex"/>), tokenized by unicode61 with diacritics removed; titles ranked by bm25, messages by <see cref="Relevance"/>.
/// </summary>
internal sealed class SqliteMessageSearch(AppDbContext db) : IMessageSearch
{
    private const int SnippetTokens = 24;

    private sealed record TitleRow(long Id, string Title, DateTime UpdatedAt);

    private sealed record CandidateRow(
        long MessageId, long ChatId, string ChatTitle, string Role, DateTime CreatedAt, string Content, string? Snippet);

    private static string Match(Guid userId, SearchQuery query, string column) =>
        $"Owner : \"{Snippets.OwnerToken(userId)}\" AND {query.ToFts5(column)}";

    public async Task<IReadOnlyList<ChatHit>> ChatsAsync(Guid userId, SearchQuery query, int limit, CancellationToken ct)
    {
        var match = Match(userId, query, "Title");
        var rows = await db.Database.SqlQuery<TitleRow>($"""
            SELECT c."Id", highlight("ChatSearch", 1, {Snippets.Start.ToString()}, {Snippets.End.ToString()}) AS "Title", c."UpdatedAt"
            FROM "ChatSearch" s JOIN "Chats" c ON c."Id" = s.rowid
            WHERE "ChatSearch" MATCH {match} AND c."UserId" = {userId}
            ORDER BY bm25("ChatSearch", 0.0, 1.0), c."UpdatedAt" DESC
            LIMIT {limit}
            """).ToListAsync(ct);
        return [.. rows.Select(r => new ChatHit(r.Id, Snippets.Parse(r.Title), Snippets.Utc(r.UpdatedAt)))];
    }

    public async Task<IReadOnlyList<ScoredHit>> MessagesAsync(
        Guid userId, SearchQuery query, SearchFilter filter, SearchPosition? after, int limit, CancellationToken ct)
    {
        await SqliteSearchIndex.FlushAsync(db, ct); // what was sent a moment ago is found
        var match = Match(userId, query, "Content");
        // The newest matches, in the order FTS5 keeps them (rowid, descending), so it stops after Candidates: the
        // owner's token narrows the match inside FTS5, the joins check it again and take the filters, snippet() is
        // made for these rows only. bm25() is not used: see Relevance.
        var candidates = await db.Database.SqlQuery<CandidateRow>($"""
            SELECT s.rowid AS "MessageId", m."ChatId", c."Title" AS "ChatTitle", m."Role", m."CreatedAt", s."Content",
                   snippet("MessageSearch", 1, {Snippets.Start.ToString()}, {Snippets.End.ToString()}, '…', {SnippetTokens}) AS "Snippet"
            FROM "MessageSearch" s
            JOIN "Messages" m ON m."Id" = s.rowid
            JOIN "Chats" c ON c."Id" = m."ChatId"
            WHERE "MessageSearch" MATCH {match} AND c."UserId" = {userId}
              AND ({filter.ChatId} IS NULL OR m."ChatId" = {filter.ChatId})
              AND ({filter.From} IS NULL OR m."CreatedAt" >= {filter.From})
              AND ({filter.To} IS NULL OR m."CreatedAt" < {filter.To})
            ORDER BY s.rowid DESC
            LIMIT {SearchLimits.Candidates}
            """).ToListAsync(ct);
        var scores = Relevance.Score(query, [.. candidates.Select(c => c.Content)]);
        return [.. candidates.Select((r, i) => (Row: r, Score: -scores[i]))
            // Ascending like bm25 (lower is better) so the cursor reads the same on both databases' terms.
            .Where(x => after is null || x.Score > after.Score || (x.Score == after.Score && x.Row.MessageId < after.MessageId))
            .OrderBy(x => x.Score).ThenByDescending(x => x.Row.MessageId)
            .Take(limit)
            .Select(x => new ScoredHit(
                new MessageHit(x.Row.ChatId, x.Row.ChatTitle, x.Row.MessageId, Snippets.Role(x.Row.Role), Snippets.Parse(x.Row.Snippet),
                    Snippets.Utc(x.Row.CreatedAt)),
                x.Score))];
    }
}
