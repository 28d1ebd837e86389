using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>
/// SQLite's one writer at a time, taken in turn in process (ADR 0011): a second write transaction waits, without a
/// thread blocked, until the first ends, committed or not; and every connection commits without an fsync each.
/// </summary>
public sealed class SqliteWritingTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task ASecondWriterWaitsItsTurnAndGetsItWhenTheFirstEndsEvenWithoutACommit()
    {
        await using var one = factory.Services.CreateAsyncScope();
        await using var two = factory.Services.CreateAsyncScope();
        var first = await one.ServiceProvider.GetRequiredService<AppDbContext>().BeginWriteAsync(CancellationToken.None);

        var second = two.ServiceProvider.GetRequiredService<AppDbContext>().BeginWriteAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(second.IsCompleted); // its turn has not come

        await first.DisposeAsync(); // ended without a commit (an early return): rolled back, and the turn passes on
        await using var tx = await second.WaitAsync(TimeSpan.FromSeconds(10));
        await tx.CommitAsync();
    }

    [Fact]
    public async Task AWriterGivingUpWhileWaitingDoesNotHoldTheTurn()
    {
        await using var one = factory.Services.CreateAsyncScope();
        await using var two = factory.Services.CreateAsyncScope();
        await using var three = factory.Services.CreateAsyncScope();
        var first = await one.ServiceProvider.GetRequiredService<AppDbContext>().BeginWriteAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = two.ServiceProvider.GetRequiredService<AppDbContext>().BeginWriteAsync(cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await first.DisposeAsync();

        await using var tx = await three.ServiceProvider.GetRequiredService<AppDbContext>().BeginWriteAsync(CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ConnectionsCommitWithoutAnFsyncEachInWalMode()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var journal = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync();
        var synchronous = await db.Database.SqlQueryRaw<int>("SELECT synchronous AS Value FROM pragma_synchronous").SingleAsync();

        Assert.Equal(("wal", 1), (journal, synchronous)); // 1 = NORMAL: durable across a killed process
    }
}
