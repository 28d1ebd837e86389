using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

/// <summary>The model names a chat after its first exchange.</summary>
public sealed class TitleTests(ProviderTests.Factory factory) : IClassFixture<ProviderTests.Factory>
{
    [Fact]
    public async Task TheModelTitlesTheChatAfterTheFirstExchangeWithoutTakingQuota()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("Use a cast iron pot.") : FakeAnswer.Text("\"Baking Sourdough at Home.\"");

        await user.SendAsync(chat.Id, "how do I bake sourdough bread at home with a pot?");

        ChatResponse? titled = null;
        for (var i = 0; i < 50 && titled?.Title != "Baking Sourdough at Home"; i++)
        {
            await Task.Delay(100);
            titled = await user.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", ApiJson.Options);
        }

        Assert.Equal("Baking Sourdough at Home", titled!.Title);
        Assert.Equal(1, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Used);
        var titleRequest = factory.Model.Requests.Last(r => r["stream"] is null || !r["stream"]!.GetValue<bool>());
        Assert.Equal("free-model", titleRequest["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnlyTheFirstExchangeIsTitled()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("ok") : FakeAnswer.Text("First Title");
        await user.SendAsync(chat.Id, "first question");
        for (var i = 0; i < 50 && (await user.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", ApiJson.Options))!.Title != "First Title"; i++)
        {
            await Task.Delay(100);
        }

        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("ok") : FakeAnswer.Text("Second Title");
        await user.SendAsync(chat.Id, "second question");
        await Task.Delay(300);

        Assert.Equal("First Title", (await user.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", ApiJson.Options))!.Title);
    }
}
