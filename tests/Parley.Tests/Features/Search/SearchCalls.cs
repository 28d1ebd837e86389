using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Chats;
using Parley.Features.Search;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Search;

/// <summary>The calls the search tests make: a search through the API, a send, messages written straight into a chat.</summary>
internal static class SearchCalls
{
    /// <summary>
    /// Writes <paramref name="count"/> finished messages straight into a chat, oldest first a second apart, with
    /// <paramref name="content"/> an SQL expression of their number <c>i</c> (1 to count); the search triggers index them.
    /// </summary>
    public static async Task InsertMessagesAsync(ParleyFactory factory, long chatId, int count, string content)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var sql = db.Database.IsNpgsql()
            ? $"""
              INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt")
              SELECT {chatId}, 'User', {content}, 'Complete', now() - ({count} - i) * interval '1 second' FROM generate_series(1, {count}) i
              """
            : $"""
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
              INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt")
              SELECT {chatId}, 'User', {content}, 'Complete', strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || ({count} - i) || ' seconds') FROM n
              """;
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>The newest <paramref name="take"/> ids of a chat's messages whose text is LIKE <paramref name="like"/>.</summary>
    public static async Task<List<long>> MessageIdsAsync(ParleyFactory factory, long chatId, string like, int take)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Messages.Where(m => m.ChatId == chatId && EF.Functions.Like(m.Content, like))
            .OrderByDescending(m => m.Id).Take(take).Select(m => m.Id).ToListAsync();
    }

    public static async Task<SearchResponse> SearchAsync(TestUser user, string query, string extra = "")
    {
        var response = await user.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}{extra}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<SearchResponse>();
    }

    /// <summary>Sends a message (the fake model answers quoting it) and returns the question's id.</summary>
    public static async Task<long> SendAsync(TestUser user, long chatId, string text)
    {
        var response = await user.SendAsync(chatId, text);
        response.EnsureSuccessStatusCode();
        return (await response.ReadAsync<SendMessageResponse>()).UserMessage.Id;
    }
}
