using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Parley.Data;

namespace Parley.Features.Search;

/// <summary>
/// tsvector columns on Messages and Chats, written by triggers with the <c>parley_search</c> text-search
/// configuration (the <c>Search__Language</c> dictionaries behind unaccent; see <see cref="PostgresSearchLanguage"/>),
/// a GIN index each; <c>websearch_to_tsquery</c> for words and phrases, a <c>:*</c> prefix for the last word,
/// <c>ts_rank</c>, <c>ts_headline</c>. The owner is the lexeme <c>owner {id}</c>: with its space no text can yield it,
/// and unlike a weight it leaves the index's answer exact (a weighted query makes every match be read again).
/// </summary>
internal sealed class PostgresMessageSearch(AppDbContext db) : IMessageSearch
{
    private const string Config = "'parley_search'::regconfig";

    /// <summary>A short message whole, a long one as the fragments around its matches (as FTS5's snippet does).</summary>
    private static string Headline(string q) => $"""
        CASE WHEN length(m."Content") <= 160
            THEN ts_headline({Config}, m."Content", {q}, 'StartSel={Snippets.Start}, StopSel={Snippets.End}, HighlightAll=true')
            ELSE ts_headline({Config}, m."Content", {q}, 'StartSel={Snippets.Start}, StopSel={Snippets.End}, MaxWords=26, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
        END
        """;

    private sealed record TitleRow(long Id, string Title, DateTime UpdatedAt);

    private sealed record HitRow(long MessageId, long ChatId, string ChatTitle, string Role, DateTime CreatedAt, double Score, string? Snippet);

    /// <summary>
    /// The user's query as SQL over parameters @web and @prefix (letters and digits only: see <see cref="SearchQuery"/>).
    /// </summary>
    private static string Query(SearchQuery query) =>
        (query.Words.Count + query.Phrases.Count, query.Prefix) switch
        {
            (> 0, null) => $"websearch_to_tsquery({Config}, @web)",
            (0, not null) => $"to_tsquery({Config}, @prefix || ':*')",
            _ => $"(websearch_to_tsquery({Config}, @web) && to_tsquery({Config}, @prefix || ':*'))",
        };

    private static List<NpgsqlParameter> Parameters(Guid userId, SearchQuery query) =>
    [
        new("user", NpgsqlDbType.Uuid) { Value = userId },
        new("owner", NpgsqlDbType.Text) { Value = $"'owner {userId:N}'" },
        new("web", NpgsqlDbType.Text) { Value = query.ToWebSearch() },
        new("prefix", NpgsqlDbType.Text) { Value = (object?)query.Prefix ?? DBNull.Value },
    ];

    /// <summary>
    /// The CTE <c>candidates ("Id", "ChatId")</c>: the user's newest matches (by time, then id), at most
    /// <see cref="SearchLimits.Candidates"/>, found one of two ways with the same answer. A broad query (a common word,
    /// a short prefix) fills them from the user's newest <see cref="SearchLimits.Walk"/> messages, read newest first
    /// on the (SearchOwner, CreatedAt, Id) index: a few milliseconds. Only when that does not fill them (a rarer
    /// query, older matches, one chat) is the GIN index asked for every match, which for a broad query would fetch
    /// tens of thousands of rows to keep the newest (150 ms for 36,000).
    /// </summary>
    private static string Candidates(string q, string where, bool walk)
    {
        var index = $"""
            SELECT m."Id", m."ChatId" FROM "Messages" m
            WHERE m."SearchVector" @@ ({q} && @owner::tsquery){where}
            ORDER BY m."CreatedAt" DESC, m."Id" DESC
            LIMIT {SearchLimits.Candidates}
            """;
        if (!walk)
        {
            return $"candidates AS ({index})";
        }

        return $"""
            walked AS MATERIALIZED (
                SELECT m."Id", m."ChatId" FROM (
                    SELECT m."Id", m."ChatId", m."CreatedAt", m."SearchVector" FROM "Messages" m
                    WHERE m."SearchOwner" = @user
                    ORDER BY m."CreatedAt" DESC, m."Id" DESC
                    LIMIT {SearchLimits.Walk}
                ) m
                WHERE m."SearchVector" @@ {q}{where}
                ORDER BY m."CreatedAt" DESC, m."Id" DESC -- the walk's own order: no sort, so it stops once full
                LIMIT {SearchLimits.Candidates}
            ),
            candidates AS (
                SELECT w."Id", w."ChatId" FROM walked w WHERE (SELECT count(*) FROM walked) = {SearchLimits.Candidates}
                UNION ALL
                SELECT i."Id", i."ChatId" FROM ({index}) i WHERE (SELECT count(*) FROM walked) < {SearchLimits.Candidates}
            )
            """;
    }

    public async Task<IReadOnlyList<ChatHit>> ChatsAsync(Guid userId, SearchQuery query, int limit, CancellationToken ct)
    {
        var q = Query(query);
        var parameters = Parameters(userId, query);
        parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        // Only constant fragments are spliced in; everything the user typed is a parameter.
        var sql = $"""
            SELECT h."Id", ts_headline({Config}, h."Title", {q}, 'StartSel={Snippets.Start}, StopSel={Snippets.End}, HighlightAll=true') AS "Title", h."UpdatedAt"
            FROM (
                SELECT c."Id", c."Title", c."UpdatedAt", ts_rank(c."SearchVector", {q}) AS "Score"
                FROM "Chats" c
                WHERE c."SearchVector" @@ ({q} && @owner::tsquery) AND c."UserId" = @user
                ORDER BY "Score" DESC, c."UpdatedAt" DESC
                LIMIT @limit
            ) h
            ORDER BY h."Score" DESC, h."UpdatedAt" DESC
            """;
        var rows = await db.Database.SqlQueryRaw<TitleRow>(sql, [.. parameters]).ToListAsync(ct);
        return [.. rows.Select(r => new ChatHit(r.Id, Snippets.Parse(r.Title), Snippets.Utc(r.UpdatedAt)))];
    }

    public async Task<IReadOnlyList<ScoredHit>> MessagesAsync(
        Guid userId, SearchQuery query, SearchFilter filter, SearchPosition? after, int limit, CancellationToken ct)
    {
        var q = Query(query);
        var parameters = Parameters(userId, query);
        parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        var where = new StringBuilder();
        var keyset = "";
        if (filter.ChatId is { } chatId)
        {
            where.Append(""" AND m."ChatId" = @chat""");
            parameters.Add(new NpgsqlParameter("chat", NpgsqlDbType.Bigint) { Value = chatId });
        }

        if (filter.From is { } from)
        {
            where.Append(""" AND m."CreatedAt" >= @from""");
            parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = DateTime.SpecifyKind(from, DateTimeKind.Utc) });
        }

        if (filter.To is { } to)
        {
            where.Append(""" AND m."CreatedAt" < @to""");
            parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = DateTime.SpecifyKind(to, DateTimeKind.Utc) });
        }

        if (after is not null)
        {
            keyset = """ AND (r."Score" < @score OR (r."Score" = @score AND r."MessageId" < @after))""";
            parameters.Add(new NpgsqlParameter("score", NpgsqlDbType.Double) { Value = after.Score });
            parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Bigint) { Value = after.MessageId });
        }

        // The newest matches are ranked (at most Candidates: a word in most of a user's messages ranks only
        // those), then paged by (score, id); ts_headline reads the whole text: made for the page only.
        var sql = $"""
            WITH {Candidates(q, where.ToString(), walk: filter.ChatId is null)}
            SELECT h."MessageId", h."ChatId", c."Title" AS "ChatTitle", m."Role", m."CreatedAt", h."Score",
                   {Headline(q)} AS "Snippet"
            FROM (
                SELECT r."MessageId", r."ChatId", r."Score" FROM (
                    SELECT n."Id" AS "MessageId", n."ChatId", ts_rank(v."SearchVector", {q})::float8 AS "Score"
                    FROM candidates n JOIN "Messages" v ON v."Id" = n."Id"
                ) r
                WHERE TRUE{keyset}
                ORDER BY r."Score" DESC, r."MessageId" DESC
                LIMIT @limit
            ) h
            JOIN "Messages" m ON m."Id" = h."MessageId"
            JOIN "Chats" c ON c."Id" = h."ChatId"
            WHERE c."UserId" = @user
            ORDER BY h."Score" DESC, h."MessageId" DESC
            """;
        var rows = await db.RetryingAsync(async token =>
        {
            // The plan's cost counts the GIN branch even when the walk fills the candidates and it never runs, which
            // puts a broad query over jit_above_cost: compiling it took 35 ms of a 60 ms search. Off for this one.
            await using var tx = await db.Database.BeginTransactionAsync(token);
            await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off", token);
            var found = await db.Database.SqlQueryRaw<HitRow>(sql, [.. parameters.Select(p => p.Clone())]).ToListAsync(token); // a parameter belongs to one command
            await tx.CommitAsync(token);
            return found;
        }, ct);
        return [.. rows.Select(r => new ScoredHit(
            new MessageHit(r.ChatId, r.ChatTitle, r.MessageId, Snippets.Role(r.Role), Snippets.Parse(r.Snippet), Snippets.Utc(r.CreatedAt)),
            r.Score))];
    }
}
