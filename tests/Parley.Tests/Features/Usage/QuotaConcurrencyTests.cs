using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Usage;

/// <summary>K = 50 concurrent sends with R remaining must admit exactly R, on each database.</summary>
public abstract class QuotaConcurrencyTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private const int Limit = 20;
    private const int Concurrent = 50;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public async Task ConcurrentSendsAdmitExactlyTheRemainingQuota(int remaining)
    {
        var user = await factory.RegisterAsync();
        var chats = new List<ChatResponse>();
        for (var i = 0; i < 5; i++)
        {
            chats.Add(await user.CreateChatAsync());
        }

        for (var i = 0; i < Limit - remaining; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await user.SendAsync(chats[0].Id, $"warm-up {i}")).StatusCode);
        }

        using var start = new SemaphoreSlim(0);
        var sends = Enumerable.Range(0, Concurrent).Select(async i =>
        {
            await start.WaitAsync();
            return await user.SendAsync(chats[i % chats.Count].Id, $"race {i}");
        }).ToList();
        start.Release(Concurrent);
        var responses = await Task.WhenAll(sends);

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(remaining, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Concurrent - remaining, statuses.Count(s => s == HttpStatusCode.PaymentRequired));

        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal((Limit, 0), (usage!.Used, usage.Remaining));

        // Exactly the admitted messages were stored, each with its reply.
        var stored = 0;
        foreach (var chat in chats)
        {
            var page = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages?limit=100", ApiJson.Options);
            stored += page!.Items.Count(m => m.Content.StartsWith("race ", StringComparison.Ordinal));
        }

        Assert.Equal(remaining, stored);
    }
}

public sealed class SqliteQuotaConcurrencyTests(SqliteFactory factory)
    : QuotaConcurrencyTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresQuotaConcurrencyTests(PostgresFactory factory)
    : QuotaConcurrencyTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;
