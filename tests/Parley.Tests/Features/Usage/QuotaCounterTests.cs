using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Usage;

/// <summary>
/// The usage counter on the user's row (ADR 0012) always says what the ledger says: as messages leave the window,
/// with refunds and tokens, built from the ledger when it was never made, and under concurrent takes, refunds and
/// token entries. A full recount (a counter reset to "never made") is the reference.
/// </summary>
public abstract class QuotaCounterTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(1); // ParleyFactory's Usage:Window

    [Fact]
    public async Task TheCounterFollowsTheLedgerAsMessagesLeaveTheWindow()
    {
        var user = (await factory.RegisterAsync()).Session.User.Id;
        var a = await TakeAsync(user);
        factory.Time.Advance(TimeSpan.FromHours(1));
        var b = await TakeAsync(user);
        await InTransactionAsync((quota, ct) => quota.RefundAsync(b, ct));
        factory.Time.Advance(TimeSpan.FromHours(1));
        var c = await TakeAsync(user);
        await InTransactionAsync((quota, ct) => quota.RecordTokensAsync(user, c.MessageId!.Value, 100, ct));

        var now = await UsageAsync(user);
        Assert.Equal((2, 100L, new DateTimeOffset(a.OccurredAt, TimeSpan.Zero) + Window), (now.Used, now.TokensUsed, now.NextFreeAt!.Value), new ApproximateUsage());

        factory.Time.Advance(Window - TimeSpan.FromMinutes(90)); // a has left; b was refunded; c and its tokens stay
        var later = await UsageAsync(user);
        Assert.Equal((1, 100L), (later.Used, later.TokensUsed));
        Assert.Equal(new DateTimeOffset(c.OccurredAt, TimeSpan.Zero) + Window, later.NextFreeAt!.Value, TimeSpan.FromMilliseconds(1));
        await TakeAsync(user); // moves the counter up to the window's start
        Assert.Equal((2, 100L), ((await UsageAsync(user)).Used, (await UsageAsync(user)).TokensUsed));

        factory.Time.Advance(TimeSpan.FromHours(2)); // c and its tokens have left too
        var last = await UsageAsync(user);
        Assert.Equal((1, 0L), (last.Used, last.TokensUsed));
        Assert.Equal(last, await RecountedAsync(user));
    }

    [Fact]
    public async Task ACounterNeverMadeOrAheadOfTheWindowIsBuiltFromTheLedger()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await user.SendAsync(chat.Id, "one");
        await user.SendAsync(chat.Id, "two");
        var id = user.Session.User.Id;
        var before = await UsageAsync(id);

        // What the migration leaves (never counted), and a counter from a clock that was ahead: both are recounted.
        await SetCounterAsync(id, null, 999);
        Assert.Equal(before, await UsageAsync(id));
        await SetCounterAsync(id, factory.Time.GetUtcNow().UtcDateTime.AddHours(1), 999);
        Assert.Equal(before, await UsageAsync(id));

        var sent = await (await user.SendAsync(chat.Id, "three")).ReadAsync<Parley.Features.Chats.SendMessageResponse>();
        Assert.Equal(before.Used + 1, sent.Usage.Used);
        Assert.Equal(sent.Usage.Used, (await UsageAsync(id)).Used);
    }

    [Fact]
    public async Task ConcurrentTakesRefundsAndTokensKeepTheCounterExact()
    {
        var user = (await factory.RegisterAsync()).Session.User.Id;
        // 16 takes: within the free limit of 20 however they interleave with the refunds.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var entry = await TakeAsync(user);
            if (i % 3 == 0)
            {
                await InTransactionAsync((quota, ct) => quota.RefundAsync(entry, ct));
            }

            await InTransactionAsync((quota, ct) => quota.RecordTokensAsync(user, entry.MessageId!.Value, 10 + i, ct));
        }));

        var counted = await UsageAsync(user);
        Assert.Equal((10, Enumerable.Range(0, 16).Sum(i => 10L + i)), (counted.Used, counted.TokensUsed));
        Assert.Equal(await RecountedAsync(user), counted);
    }

    private async Task<UsageEntry> TakeAsync(Guid user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var quota = scope.ServiceProvider.GetRequiredService<QuotaService>();
        var entry = await db.RetryingAsync(async ct =>
        {
            await using var tx = await quota.BeginAsync(user, ct);
            var (taken, _) = await quota.TryTakeAsync(user, Random.Shared.NextInt64(1, long.MaxValue), ct);
            await tx.CommitAsync(ct);
            return taken;
        }, CancellationToken.None);
        return Assert.IsType<UsageEntry>(entry);
    }

    private async Task InTransactionAsync(Func<QuotaService, CancellationToken, Task> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var quota = scope.ServiceProvider.GetRequiredService<QuotaService>();
        await db.RetryingAsync(async ct =>
        {
            await using var tx = await db.BeginWriteAsync(ct);
            await work(quota, ct);
            await tx.CommitAsync(ct);
        }, CancellationToken.None);
    }

    private async Task<UsageResponse> UsageAsync(Guid user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<QuotaService>().GetAsync(user, CancellationToken.None);
    }

    /// <summary>The usage from the ledger alone: the counter reset to never made, read, and put back.</summary>
    private async Task<UsageResponse> RecountedAsync(Guid user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var saved = await db.Users.AsNoTracking().Where(u => u.Id == user)
            .Select(u => new { u.UsageCountedFrom, u.UsageMessages, u.UsageTokens }).SingleAsync();
        await SetCounterAsync(user, null, -1);
        var recounted = await UsageAsync(user);
        await db.Users.Where(u => u.Id == user).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.UsageCountedFrom, saved.UsageCountedFrom)
            .SetProperty(u => u.UsageMessages, saved.UsageMessages)
            .SetProperty(u => u.UsageTokens, saved.UsageTokens));
        return recounted;
    }

    private async Task SetCounterAsync(Guid user, DateTime? from, int messages)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == user)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.UsageCountedFrom, from).SetProperty(u => u.UsageMessages, messages));
    }

    /// <summary>Compares counts exactly and the time to the millisecond (the databases store microseconds).</summary>
    private sealed class ApproximateUsage : IEqualityComparer<(int, long, DateTimeOffset)>
    {
        public bool Equals((int, long, DateTimeOffset) x, (int, long, DateTimeOffset) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && (x.Item3 - y.Item3).Duration() < TimeSpan.FromMilliseconds(1);

        public int GetHashCode((int, long, DateTimeOffset) obj) => HashCode.Combine(obj.Item1, obj.Item2);
    }
}

public sealed class SqliteQuotaCounterTests(SqliteFactory factory)
    : QuotaCounterTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresQuotaCounterTests(PostgresFactory factory)
    : QuotaCounterTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;
