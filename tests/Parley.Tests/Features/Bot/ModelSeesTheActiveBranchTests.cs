using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

public sealed class ModelSeesTheActiveBranchTests(ProviderTests.Factory factory) : IClassFixture<ProviderTests.Factory>
{
    private static IEnumerable<string> Sent(System.Text.Json.Nodes.JsonObject request) =>
        request["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() != "system")
            .Select(m => m!["content"] is System.Text.Json.Nodes.JsonValue v ? v.GetValue<string>() : string.Concat(m["content"]!.AsArray().Select(p => p!["text"]?.GetValue<string>())));

    [Fact]
    public async Task SwitchingBranchChangesWhatTheModelIsSent()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text($"re: {FakeOpenAIServer.LastUserMessage(r)}") : FakeAnswer.Text("Title");
        var first = await (await user.SendAsync(chat.Id, $"first {tag}")).ReadAsync<SendMessageResponse>();
        await user.SendAsync(chat.Id, $"second {tag}");

        await Parley.Tests.Features.Chats.BranchHelpers.StreamAsync(user, $"/api/chats/{chat.Id}/messages/{first.UserMessage.Id}/edit", new { content = $"edited {tag}" });
        var editRequest = factory.Model.Requests.Last(r => FakeOpenAIServer.LastUserMessage(r) == $"edited {tag}");

        await user.Client.PutAsJsonAsync($"/api/chats/{chat.Id}/branch", new { messageId = first.UserMessage.Id });
        await user.SendAsync(chat.Id, $"third {tag}");
        var thirdRequest = factory.Model.Requests.Last(r => FakeOpenAIServer.LastUserMessage(r) == $"third {tag}");

        Assert.Equal([$"edited {tag}"], Sent(editRequest));
        Assert.Equal([$"first {tag}", $"re: first {tag}", $"second {tag}", $"re: second {tag}", $"third {tag}"], Sent(thirdRequest));
    }
}
