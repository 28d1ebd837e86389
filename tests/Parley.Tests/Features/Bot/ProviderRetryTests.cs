using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

/// <summary>A failure before any text is retried once; after text, never.</summary>
public sealed class ProviderRetryTests(ProviderTests.Factory factory) : IClassFixture<ProviderTests.Factory>
{
    [Fact]
    public async Task AFailureBeforeAnyTextIsRetriedOnce()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = r => !ProviderTests.IsStream(r) ? FakeAnswer.Text("A title") : Interlocked.Increment(ref calls) == 1 ? FakeAnswer.Error(503) : FakeAnswer.Text("second time lucky");

        var sent = await (await user.SendAsync(chat.Id, "retry me")).ReadAsync<SendMessageResponse>();

        Assert.Equal(("second time lucky", 2), (sent.Reply.Content, calls));
    }

    [Fact]
    public async Task TwoFailuresGiveUpAndRefund()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = _ => { Interlocked.Increment(ref calls); return FakeAnswer.Error(500); };

        var response = await user.SendAsync(chat.Id, "never");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        Assert.Equal(2, calls);
        Assert.Equal(0, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Used);
    }

    [Fact]
    public async Task NoFirstTokenInTimeIsRetriedThenFails()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = _ => { Interlocked.Increment(ref calls); return FakeAnswer.Hang(TimeSpan.FromSeconds(30)); };

        var response = await user.SendAsync(chat.Id, "slow");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AFailureAfterTextIsNotRetried()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = _ => { Interlocked.Increment(ref calls); return FakeAnswer.Text("partial words") with { OmitFinish = true }; };

        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "cut" });
        var events = await response.ReadEventsAsync().ToListAsync();

        Assert.Equal(1, calls);
        Assert.Equal("Failed", events[^1].Data.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal(1, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Used); // text was produced
    }
}
