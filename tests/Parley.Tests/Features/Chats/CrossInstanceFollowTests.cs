using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Chats;

/// <summary>
/// A reload or a second tab served by another instance follows a reply generated elsewhere: each piece of text as
/// the model writes it (relayed over PostgreSQL NOTIFY), then the same usage and done events the sender gets. The
/// reply's row is written only at the end here (a one-hour flush interval), so any text the follower sees before the
/// end can only have come through the relay.
/// </summary>
public sealed class CrossInstanceFollowTests(CrossInstanceFollowTests.Factory factory)
    : IClassFixture<CrossInstanceFollowTests.Factory>, IAsyncLifetime
{
    private readonly SecondInstanceFactory other = new(factory);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => ((IAsyncLifetime)other).DisposeAsync();

    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => Settings["Chats:ReplyFlushInterval"] = "01:00:00";
    }

    [Fact]
    public async Task AFollowerOnTheOtherInstanceGetsEachPieceAsTheModelWritesItAndTheSameEnding()
    {
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        gates[0].SetResult();
        factory.Model.Behaviour = _ => FakeAnswer.Text("alpha beta gamma") with { BeforeChunk = i => gates[i].Task };
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var owner = (await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "three words" }))
            .ReadEventsAsync().GetAsyncEnumerator(timeout.Token);
        var start = await owner.NextAsync("start");
        Assert.Equal("alpha ", (await owner.NextAsync("delta")).GetProperty("text").GetString());
        var replyId = start.GetProperty("reply").GetProperty("id").GetInt64();
        var otherClient = other.CreateClient();
        otherClient.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;
        var follower = (await otherClient.OpenStreamAsync(HttpMethod.Get, $"/api/chats/{chat.Id}/messages/{replyId}/stream"))
            .ReadEventsAsync().GetAsyncEnumerator(timeout.Token);

        // The model is held after its first word, and the row has no text yet: the follower has it all the same.
        Assert.Equal("alpha ", await follower.TextUntilAsync("alpha "));
        Assert.Equal("", (await StoredAsync(replyId)).Content);
        gates[1].SetResult();
        Assert.Equal("beta ", await follower.TextUntilAsync("beta "));
        gates[2].SetResult();
        Assert.Equal("gamma", await follower.TextUntilAsync("gamma"));

        Assert.Equal("beta gamma", await owner.TextUntilAsync("beta gamma"));
        var (ownerUsage, ownerDone) = (await owner.NextAsync("usage"), await owner.NextAsync("done"));
        var (followerUsage, followerDone) = (await follower.NextAsync("usage"), await follower.NextAsync("done"));
        Assert.Equal(ownerUsage.GetRawText(), followerUsage.GetRawText());
        Assert.Equal(ownerDone.GetRawText(), followerDone.GetRawText()); // the question and the stored reply, as the sender sees them
        Assert.Equal(start.GetProperty("userMessage").GetProperty("id").GetInt64(), followerDone.GetProperty("userMessage").GetProperty("id").GetInt64());
        Assert.False(await follower.MoveNextAsync());
    }

    [Fact]
    public async Task APieceTooLongForOneNotificationArrivesWholeAndInOrder()
    {
        // 12,000 bytes of UTF-8 in one chunk of the model's: more than a NOTIFY payload can carry.
        var longWord = string.Concat(Enumerable.Repeat("😀é", 2000)) + " ";
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Model.Behaviour = _ => FakeAnswer.Text(longWord + "end") with { BeforeChunk = i => i == 1 ? held.Task : Task.CompletedTask };
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var owner = (await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "a long word" }))
            .ReadEventsAsync().GetAsyncEnumerator(timeout.Token);
        var replyId = (await owner.NextAsync("start")).GetProperty("reply").GetProperty("id").GetInt64();
        var otherClient = other.CreateClient();
        otherClient.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;
        var follower = (await otherClient.OpenStreamAsync(HttpMethod.Get, $"/api/chats/{chat.Id}/messages/{replyId}/stream"))
            .ReadEventsAsync().GetAsyncEnumerator(timeout.Token);

        Assert.Equal(longWord, await follower.TextUntilAsync(longWord));
        held.SetResult();
        Assert.Equal("end", await follower.TextUntilAsync("end"));
        await follower.NextAsync("usage");
        Assert.Equal((longWord + "end").Length, (await follower.NextAsync("done")).GetProperty("reply").GetProperty("length").GetInt32());
    }

    private async Task<Parley.Features.Chats.Message> StoredAsync(long id)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
