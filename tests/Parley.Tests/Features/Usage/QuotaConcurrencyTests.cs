using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

/// <summary>
/// Sends of one user into one chat while earlier replies there are being stored: every transaction that writes usage
/// locks the user's row first, so none waits for PostgreSQL's deadlock detector (which would abort one after a second,
/// to be retried). PostgreSQL counts every deadlock it breaks in <c>pg_stat_database</c>.
/// </summary>
public sealed class PostgresLockOrderTests(PostgresFactory factory) : IClassFixture<PostgresFactory>
{
    [Fact]
    public async Task SendsWhileEarlierRepliesAreStoredNeverDeadlock()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var before = await DeadlocksAsync();

        for (var round = 0; round < 2; round++) // 16 sends: within the free limit of 20
        {
            var sends = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => user.SendAsync(chat.Id, $"round {round}, send {i}")));
            Assert.All(sends, s => Assert.Equal(HttpStatusCode.OK, s.StatusCode));
        }

        // The statistics are flushed by each backend now and then: read them until they are current (a state).
        for (var i = 0; i < 20 && await DeadlocksAsync() == before; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(before, await DeadlocksAsync());
    }

    private async Task<long> DeadlocksAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Parley.Data.AppDbContext>();
        await db.Database.ExecuteSqlRawAsync("SELECT pg_stat_clear_snapshot()");
        return await db.Database.SqlQueryRaw<long>(
            "SELECT deadlocks AS \"Value\" FROM pg_stat_database WHERE datname = current_database()").SingleAsync();
    }
}
