using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Data;
using Parley.Features.Chats;
using Parley.Features.Search;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Search;

/// <summary>
/// SQLite indexes message text in batches (SqliteSearchIndex): the triggers list what changed, the list is folded into
/// FTS5 each second and before every message search. Nothing is missed in between, and nothing is lost to a stop.
/// </summary>
public sealed class SqliteSearchIndexTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"parley-test-{Guid.NewGuid():N}.db");

    /// <summary>An instance on this test's file, with or without the folding each second.</summary>
    private sealed class OnFile(string file, bool background) : ParleyFactory
    {
        protected override string DatabaseUrl => $"sqlite:///{file}";

        protected override void ConfigureServices(IServiceCollection services)
        {
            if (!background)
            {
                services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(SqliteSearchIndex)));
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }

        return Task.CompletedTask;
    }

    private static async Task<T> WithDbAsync<T>(ParleyFactory factory, Func<AppDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static Task<List<long>> PendingAsync(ParleyFactory factory) => WithDbAsync(factory, db =>
        db.Database.SqlQuery<long>($"""SELECT "MessageId" AS "Value" FROM "MessageSearchPending" ORDER BY "MessageId" """).ToListAsync());

    /// <summary>What FTS5 itself holds for a word, read without a search (which would fold the list in first).</summary>
    private static Task<List<long>> IndexedAsync(ParleyFactory factory, string word) => WithDbAsync(factory, db =>
        db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH {"Content : " + word} ORDER BY rowid""").ToListAsync());

    private static Task<int> IndexedCountAsync(ParleyFactory factory) => WithDbAsync(factory, db =>
        db.Database.SqlQuery<int>($"""SELECT count(*) AS "Value" FROM "MessageSearch" """).SingleAsync());

    [Fact]
    public async Task AMessageSentAMomentAgoIsFoundBeforeAnyBatchIsWritten()
    {
        await using var factory = new OnFile(_file, background: false);
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var question = await SearchCalls.SendAsync(user, chat.Id, "the zeppelin manifest");

        // The question and the built-in assistant's reply wait in the list; FTS5 has neither yet.
        var pending = await PendingAsync(factory);
        Assert.Equal(2, pending.Count);
        Assert.Contains(question, pending);
        Assert.Equal(0, await IndexedCountAsync(factory));

        var found = await SearchCalls.SearchAsync(user, "zeppelin");

        Assert.Equal([question], found.Messages.Select(m => m.MessageId));
        Assert.Empty(await PendingAsync(factory));
        Assert.Equal([question], await IndexedAsync(factory, "zeppelin"));
        Assert.Equal(2, await IndexedCountAsync(factory));
    }

    [Fact]
    public async Task WhatAStoppedInstanceLeftInTheListIsIndexedByTheNextWithoutASearch()
    {
        long question;
        await using (var stopped = new OnFile(_file, background: false))
        {
            var user = await stopped.RegisterAsync();
            var chat = await user.CreateChatAsync();
            question = await SearchCalls.SendAsync(user, chat.Id, "an orphaned quokka");
            Assert.Equal(2, (await PendingAsync(stopped)).Count);
        }

        await using var next = new OnFile(_file, background: true);
        _ = next.CreateClient();
        // The background folding runs at start and then each second: the list empties with no search asked.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await PendingAsync(next)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Empty(await PendingAsync(next));
        Assert.Equal([question], await IndexedAsync(next, "quokka"));
        Assert.Equal(2, await IndexedCountAsync(next));
    }

    [Fact]
    public async Task ALongListIsFoldedInBatchesAndADeletedChatLeavesTheIndex()
    {
        await using var factory = new OnFile(_file, background: false);
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var count = 2 * SqliteSearchIndex.Batch + 1;
        await SearchCalls.InsertMessagesAsync(factory, chat.Id, count, "'a bulk walrus number ' || i");

        Assert.Equal(count, await WithDbAsync(factory, db => SqliteSearchIndex.FlushAsync(db, CancellationToken.None)));
        Assert.Empty(await PendingAsync(factory));
        Assert.Equal(count, (await IndexedAsync(factory, "walrus")).Count);

        (await user.Client.DeleteAsync($"/api/chats/{chat.Id}")).EnsureSuccessStatusCode();

        // Every message of the chat is listed, and folding the list takes them out of FTS5, not only out of results.
        Assert.Equal(count, (await PendingAsync(factory)).Count);
        Assert.Equal(count, await WithDbAsync(factory, db => SqliteSearchIndex.FlushAsync(db, CancellationToken.None)));
        Assert.Empty(await IndexedAsync(factory, "walrus"));
        Assert.Equal(0, await IndexedCountAsync(factory));
    }
}
