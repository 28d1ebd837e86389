using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Search;

/// <summary>
/// FTS5: <c>MessageSearch</c> and <c>ChatSearch</c> (Owner, text) kept in step by triggers (migration Search),
/// tokenized by unicode61 with diacritics removed, ranked by bm25.
/// </summary>
internal sealed class SqliteMessageSearch(AppDbContext db) : IMessageSearch
{
    private const int SnippetTokens = 24;

    private sealed record TitleRow(long Id, string Title, DateTime UpdatedAt);

    private sealed record HitRow(long MessageId, long ChatId, string ChatTitle, string Role, DateTime CreatedAt, double Score);

    private sealed record SnippetRow(long Id, string? Snippet);

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
        var match = Match(userId, query, "Content");
        // The owner's token narrows the match inside FTS5; the join checks it again, and takes the filters.
        var rows = await db.Database.SqlQuery<HitRow>($"""
            SELECT m."Id" AS "MessageId", m."ChatId", c."Title" AS "ChatTitle", m."Role", m."CreatedAt", r."Score"
            FROM (SELECT rowid AS "Id", bm25("MessageSearch", 0.0, 1.0) AS "Score" FROM "MessageSearch" WHERE "MessageSearch" MATCH {match}) r
            JOIN "Messages" m ON m."Id" = r."Id"
            JOIN "Chats" c ON c."Id" = m."ChatId"
            WHERE c."UserId" = {userId}
              AND ({filter.ChatId} IS NULL OR m."ChatId" = {filter.ChatId})
              AND ({filter.From} IS NULL OR m."CreatedAt" >= {filter.From})
              AND ({filter.To} IS NULL OR m."CreatedAt" < {filter.To})
              AND ({after?.Score} IS NULL OR r."Score" > {after?.Score} OR (r."Score" = {after?.Score} AND m."Id" < {after?.MessageId}))
            ORDER BY r."Score", m."Id" DESC
            LIMIT {limit}
            """).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        // snippet() only for the page: in the ranking query it would be made for every match before the sort.
        var ids = JsonSerializer.Serialize(rows.Select(r => r.MessageId));
        var snippets = await db.Database.SqlQuery<SnippetRow>($"""
            SELECT rowid AS "Id", snippet("MessageSearch", 1, {Snippets.Start.ToString()}, {Snippets.End.ToString()}, '…', {SnippetTokens}) AS "Snippet"
            FROM "MessageSearch"
            WHERE "MessageSearch" MATCH {match} AND rowid IN (SELECT value FROM json_each({ids}))
            """).ToDictionaryAsync(s => s.Id, s => s.Snippet, ct);
        return [.. rows.Select(r => new ScoredHit(
            new MessageHit(r.ChatId, r.ChatTitle, r.MessageId, Snippets.Role(r.Role), Snippets.Parse(snippets.GetValueOrDefault(r.MessageId)),
                Snippets.Utc(r.CreatedAt)),
            r.Score))];
    }
}
