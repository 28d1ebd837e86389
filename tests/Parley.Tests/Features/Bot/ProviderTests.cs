using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

/// <summary>Provider settings reach the wire, and failures are retried once, only before any text.</summary>
public sealed class ProviderTests(ProviderTests.Factory factory) : IClassFixture<ProviderTests.Factory>
{
    public class Factory : FakeModelFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Settings["Bot:OpenAI:ApiKey"] = "sk-provider";
            Settings["Bot:OpenAI:Model"] = "free-model";
            Settings["Bot:OpenAI:PremiumModel"] = "premium-model";
            Settings["Bot:OpenAI:Headers:X-Gateway-Key"] = "gateway-123";
            Settings["Bot:OpenAI:SendMaxTokens"] = "true";
            Settings["Bot:Temperature"] = "0.3";
            Settings["Bot:MaxOutputTokens"] = "256";
            Settings["Bot:FirstTokenTimeout"] = "00:00:00.500";
            Settings["Bot:Timeout"] = "00:00:10";
        }
    }

    internal static string Question(System.Text.Json.Nodes.JsonObject r) => FakeOpenAIServer.LastUserMessage(r);

    /// <summary>Replies stream; the title request after a first exchange does not.</summary>
    internal static bool IsStream(System.Text.Json.Nodes.JsonObject r) => r["stream"]?.GetValue<bool>() == true;
    [Fact]
    public async Task EachPlanUsesItsModelAndTheSettingsReachTheRequest()
    {
        var free = await factory.RegisterAsync();
        var premium = await factory.RegisterAsync();
        await AdminCommands.RunAsync(factory.Services, ["set-plan", premium.Email, "premium"]);
        factory.Model.Behaviour = _ => FakeAnswer.Text("ok");
        var tag = Guid.NewGuid().ToString("N");

        await free.SendAsync((await free.CreateChatAsync()).Id, $"free {tag}");
        await premium.SendAsync((await premium.CreateChatAsync()).Id, $"premium {tag}");

        var freeRequest = factory.Model.Requests.Single(r => Question(r) == $"free {tag}");
        var premiumRequest = factory.Model.Requests.Single(r => Question(r) == $"premium {tag}");
        Assert.Equal("free-model", freeRequest["model"]!.GetValue<string>());
        Assert.Equal("premium-model", premiumRequest["model"]!.GetValue<string>());
        Assert.Equal(0.3, freeRequest["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(256, freeRequest["max_tokens"]!.GetValue<int>()); // the old name, as configured
        Assert.Null(freeRequest["max_completion_tokens"]);
        Assert.True(freeRequest["stream"]!.GetValue<bool>());
        Assert.Contains(factory.Model.Calls, c => c.Path == "/v1/chat/completions" && c.Headers.GetValueOrDefault("X-Gateway-Key") == "gateway-123");
    }

    [Fact]
    public async Task StartUpChecksTheModelsList()
    {
        _ = factory.CreateClient();

        for (var i = 0; i < 50 && !factory.Model.Calls.Any(c => c.Path == "/v1/models"); i++)
        {
            await Task.Delay(100);
        }

        var call = Assert.Single(factory.Model.Calls, c => c.Path == "/v1/models");
        Assert.Equal("Bearer sk-provider", call.Headers["Authorization"]);
    }

}
