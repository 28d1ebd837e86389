using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Bot;
using Parley.Features.Chats;
using Parley.Tests.Features.Attachments;
using Parley.Tests.Features.Chats;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Bot;

public sealed class SqliteModelChoiceTests(SqliteModelChoiceTests.Factory factory)
    : ModelChoiceTests<SqliteModelChoiceTests.Factory>(factory), IClassFixture<SqliteModelChoiceTests.Factory>
{
    public sealed class Factory : FakeModelFactory
    {
        public Factory() => ModelChoiceSettings.Apply(Settings);
    }
}

public sealed class PostgresModelChoiceTests(PostgresModelChoiceTests.Factory factory)
    : ModelChoiceTests<PostgresModelChoiceTests.Factory>(factory), IClassFixture<PostgresModelChoiceTests.Factory>
{
    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => ModelChoiceSettings.Apply(Settings);
    }
}

internal static class ModelChoiceSettings
{
    public static void Apply(Dictionary<string, string?> settings)
    {
        settings["Bot:OpenAI:Model"] = "plan-model";
        settings["Bot:Models:0:Id"] = "quick-model";
        settings["Bot:Models:0:Name"] = "Quick";
        settings["Bot:Models:1:Id"] = "deep-model";
        settings["Bot:Models:1:Name"] = "Deep";
        settings["Bot:Models:1:Premium"] = "true";
        settings["Bot:Models:1:Vision"] = "true";
    }
}

/// <summary>
/// Where the operator offers several models (Bot__Models), a user picks a default and can switch per chat; the fake
/// OpenAI server sees which model each request asks for. Premium models are for Premium users, and a choice the plan
/// no longer allows falls back instead of refusing the reply.
/// </summary>
public abstract class ModelChoiceTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IFakeModelFactory
{
    private string ModelAskedFor(string question) =>
        factory.Model.ReplyRequests().Last(r => FakeOpenAIServer.LastUserMessage(r) == question)["model"]!.GetValue<string>();

    private async Task SendAsync(TestUser user, long chatId, string question)
    {
        (await user.SendAsync(chatId, question)).EnsureSuccessStatusCode();
        await user.BranchAsync(chatId); // the send started the reply; its request reached the model
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!factory.Model.ReplyRequests().Any(r => FakeOpenAIServer.LastUserMessage(r) == question))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The model never saw “{question}”.");
            await Task.Delay(20);
        }
    }

    private static Task<HttpResponseMessage> ChooseAsync(TestUser user, long chatId, string? model) =>
        user.Client.PutAsJsonAsync($"/api/chats/{chatId}/model", new { model });

    private async Task MakePremiumAsync(TestUser user, bool premium = true)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == user.Session.User.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.IsPremium, premium));
    }

    [Fact]
    public async Task TheListSaysWhatThePlanAllows()
    {
        var user = await factory.RegisterAsync();

        var models = (await user.Client.GetFromJsonAsync<ModelsResponse>("/api/models", ApiJson.Options))!;

        Assert.Equal([("quick-model", "Quick", true), ("deep-model", "Deep", false)], models.Models.Select(m => (m.Id, m.Name, m.Available)));
        Assert.Null(models.Default);
        await MakePremiumAsync(user);
        Assert.All((await user.Client.GetFromJsonAsync<ModelsResponse>("/api/models", ApiJson.Options))!.Models, m => Assert.True(m.Available));
    }

    [Fact]
    public async Task TheDefaultThenTheChatsChoiceIsTheModelAskedFor()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync("models");
        await SendAsync(user, chat.Id, "which model first?");
        Assert.Equal("plan-model", ModelAskedFor("which model first?"));

        await user.Client.PatchAsJsonAsync("/api/account/profile", new { defaultModel = "quick-model" });
        await SendAsync(user, chat.Id, "with my default?");
        Assert.Equal("quick-model", ModelAskedFor("with my default?"));

        await MakePremiumAsync(user);
        var chosen = await ChooseAsync(user, chat.Id, "deep-model");
        Assert.Equal("deep-model", (await chosen.ReadAsync<ChatResponse>()).ModelId);
        await SendAsync(user, chat.Id, "and in this chat?");
        Assert.Equal("deep-model", ModelAskedFor("and in this chat?"));

        // Premium ended: the chat's premium model falls back to the default, and the reply is not refused.
        await MakePremiumAsync(user, premium: false);
        await SendAsync(user, chat.Id, "after premium?");
        Assert.Equal("quick-model", ModelAskedFor("after premium?"));

        Assert.Equal(HttpStatusCode.OK, (await ChooseAsync(user, chat.Id, null)).StatusCode); // back to the default
        await SendAsync(user, chat.Id, "back to default?");
        Assert.Equal("quick-model", ModelAskedFor("back to default?"));
    }

    [Fact]
    public async Task APremiumModelIsForPremiumAndAnUnknownOneIsRefused()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync("refusals");

        await (await ChooseAsync(user, chat.Id, "deep-model")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.PremiumModel, "Premium");
        await (await ChooseAsync(user, chat.Id, "gpt-9")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PatchAsJsonAsync("/api/account/profile", new { defaultModel = "gpt-9" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var other = await factory.RegisterAsync();
        await (await ChooseAsync(other, chat.Id, "quick-model")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ImagesGoOnlyToAModelThatSeesThem()
    {
        var user = await factory.RegisterAsync();
        await MakePremiumAsync(user);
        var chat = await user.CreateChatAsync("images");
        await ChooseAsync(user, chat.Id, "quick-model");
        var image = await user.UploadedAsync(TestFiles.Image(64, 64), "a.png");

        var refused = await user.SendWithFilesAsync(chat.Id, "what is this?", image.Id);
        await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.ImagesNotSupported, "This chat's model can't see images");

        await ChooseAsync(user, chat.Id, "deep-model");
        (await user.SendWithFilesAsync(chat.Id, "what is this?", image.Id)).EnsureSuccessStatusCode();
    }
}
