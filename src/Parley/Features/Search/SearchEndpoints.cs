using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Parley.Web;

namespace Parley.Features.Search;

public static class SearchEndpoints
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 50;
    private const int ChatHits = 8;

    public static RouteGroupBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/search").WithTags("Search").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", Search).WithName("Search")
            .WithSummary("Find chats by title and messages by text, best match first; the last word also matches as a prefix, \"quotes\" make a phrase.");
        return group;
    }

    private static async Task<Results<Ok<SearchResponse>, ValidationProblem>> Search(
        string? q, long? chatId, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit,
        IMessageSearch search, HttpContext http, CancellationToken ct)
    {
        if (q is { Length: > SearchQuery.MaxLength })
        {
            return Invalid("q", $"A search can be at most {SearchQuery.MaxLength} characters; this one has {q.Length}.");
        }

        SearchPosition? after = null;
        if (cursor is not null && !TryParseCursor(cursor, out after))
        {
            return Invalid("cursor", "The cursor is not valid; use the nextCursor of a previous page.");
        }

        if (from is { } f && to is { } t && f >= t)
        {
            return Invalid("to", "The end of the date range must come after its start.");
        }

        var query = SearchQuery.Parse(q);
        if (query.IsEmpty)
        {
            return TypedResults.Ok(new SearchResponse([], [], null)); // nothing to look for: the database is not asked
        }

        var userId = http.User.UserId();
        var size = Math.Clamp(limit ?? DefaultPageSize, 1, MaxPageSize);
        var filter = new SearchFilter(chatId, from?.UtcDateTime, to?.UtcDateTime);
        var chats = after is null && chatId is null ? await search.ChatsAsync(userId, query, ChatHits, ct) : [];
        var hits = await search.MessagesAsync(userId, query, filter, after, size + 1, ct);
        var next = hits.Count > size ? Cursor(hits[size - 1]) : null;
        return TypedResults.Ok(new SearchResponse(chats, [.. hits.Take(size).Select(h => h.Hit)], next));
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    private static string Cursor(ScoredHit last) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{last.Score:R}|{last.Hit.MessageId}")));

    private static bool TryParseCursor(string cursor, out SearchPosition? position)
    {
        position = null;
        try
        {
            var parts = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor)).Split('|');
            if (parts.Length == 2 &&
                double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && double.IsFinite(score) &&
                long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                position = new SearchPosition(score, id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
