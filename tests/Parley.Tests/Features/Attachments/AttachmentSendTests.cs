using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Parley.Features.Attachments;
using Parley.Features.Chats;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Attachments;

public sealed class SqliteAttachmentSendTests(SqliteAttachmentSendTests.Factory factory)
    : AttachmentSendTests<SqliteAttachmentSendTests.Factory>(factory), IClassFixture<SqliteAttachmentSendTests.Factory>
{
    public sealed class Factory : FakeModelFactory
    {
        public Factory() => AttachmentSendSettings.Apply(Settings);
    }
}

public sealed class PostgresAttachmentSendTests(PostgresAttachmentSendTests.Factory factory)
    : AttachmentSendTests<PostgresAttachmentSendTests.Factory>(factory), IClassFixture<PostgresAttachmentSendTests.Factory>
{
    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => AttachmentSendSettings.Apply(Settings);
    }
}

internal static class AttachmentSendSettings
{
    public const int HistoryTokenBudget = 2_000;

    public static void Apply(Dictionary<string, string?> settings)
    {
        settings["Bot:OpenAI:Vision"] = "true";
        settings["Bot:OpenAI:PremiumModel"] = "blind-model"; // Premium's model takes no images (PremiumVision)
        settings["Bot:OpenAI:PremiumVision"] = "false";
        settings["Bot:HistoryTokenBudget"] = HistoryTokenBudget.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Usage:FreeMessageLimit"] = "1000";
    }
}

/// <summary>Sending with files: what the model receives (the exact request), what is refused, what deleting frees.</summary>
public abstract class AttachmentSendTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IFakeModelFactory
{
    private static Task<HttpResponseMessage> SendAsync(TestUser user, long chatId, string content, params Guid[] files) =>
        user.Client.PostAsJsonAsync($"/api/chats/{chatId}/messages", new { content, attachmentIds = files });

    private IEnumerable<JsonObject> ReplyRequests() => factory.Model.ReplyRequests();

    private JsonObject LastRequestFor(string question) => factory.Model.LastRequestFor(question);

    private static JsonArray LastUserParts(JsonObject request) => AttachmentCalls.LastUserParts(request);

    [Fact]
    public async Task AnImageReachesTheModelAsAnImagePartAndADocumentAsTextNamingIt()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var image = await user.UploadedAsync(TestFiles.Image(64, 32), "chart.png");
        var notes = await user.UploadedAsync("# Launch notes\nShip on Friday.\n"u8.ToArray(), "notes.md");

        var response = await SendAsync(user, chat.Id, "what do these say?", image.Id, notes.Id);

        response.EnsureSuccessStatusCode();
        var sent = await response.ReadAsync<SendMessageResponse>();
        Assert.Equal([image.Id, notes.Id], sent.UserMessage.Attachments!.Select(a => a.Id));
        Assert.All(sent.UserMessage.Attachments!, a => Assert.True(a.Sent));
        var parts = LastUserParts(LastRequestFor("what do these say?"));
        var text = parts.Single(p => p!["type"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>();
        Assert.Equal("<file name=\"notes.md\">\n# Launch notes\nShip on Friday.\n\n</file>\n\nwhat do these say?", text);
        var url = parts.Single(p => p!["type"]!.GetValue<string>() == "image_url")!["image_url"]!["url"]!.GetValue<string>();
        var stored = await factory.CreateClient().GetByteArrayAsync(image.Url);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(stored), url);

        // The next question carries the earlier files too: the model reads the conversation as it was.
        (await SendAsync(user, chat.Id, "and the date?")).EnsureSuccessStatusCode();
        var followUp = LastRequestFor("and the date?")["messages"]!.AsArray();
        Assert.Contains(followUp, m => m!["content"] is JsonArray p && p.Any(x => x!["type"]!.GetValue<string>() == "image_url"));
        Assert.Contains(followUp, m => FakeOpenAIServer.Text(m!).Contains("Ship on Friday.", StringComparison.Ordinal));

        // The chat's history lists them with the question, with working links.
        var page = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        var question = page!.Items.Single(m => m.Id == sent.UserMessage.Id);
        Assert.Equal(["chart.png", "notes.md"], question.Attachments!.Select(a => a.FileName));
        Assert.Equal(stored, await factory.CreateClient().GetByteArrayAsync(question.Attachments![0].Url));
    }

    [Fact]
    public async Task FilesAloneCanBeSentAndNameTheNewChat()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var notes = await user.UploadedAsync("plain words\n"u8.ToArray(), "Q3 plan.txt");

        var response = await SendAsync(user, chat.Id, "  ", notes.Id);

        response.EnsureSuccessStatusCode();
        Assert.Equal("Q3 plan.txt", (await response.ReadAsync<SendMessageResponse>()).Chat.Title);
        Assert.Contains(ReplyRequests(), r => FakeOpenAIServer.LastUserMessage(r) == "<file name=\"Q3 plan.txt\">\nplain words\n\n</file>\n\n");
    }

    [Fact]
    public async Task ADocumentLongerThanTheHistoryBudgetIsCutSayingSo()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var text = string.Concat(Enumerable.Range(0, 2_000).Select(i => $"line {i} of the report\n"));
        var report = await user.UploadedAsync(Encoding.UTF8.GetBytes(text), "report.txt");

        (await SendAsync(user, chat.Id, "summarise the report", report.Id)).EnsureSuccessStatusCode();

        var sent = FakeOpenAIServer.LastUserMessage(LastRequestFor("summarise the report"));
        Assert.StartsWith("<file name=\"report.txt\">\nline 0 of the report\n", sent, StringComparison.Ordinal);
        Assert.Contains($"[… the rest of report.txt is left out:", sent, StringComparison.Ordinal);
        Assert.EndsWith("summarise the report", sent, StringComparison.Ordinal);
        Assert.True(sent.Length < AttachmentSendSettings.HistoryTokenBudget * 4, $"{sent.Length} characters sent");
    }

    [Fact]
    public async Task FilesThatCantGoWithAMessageSendNothing()
    {
        var user = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var theirs = await other.UploadedAsync("not yours\n"u8.ToArray(), "theirs.txt");
        var mine = await user.UploadedAsync("mine\n"u8.ToArray(), "mine.txt");
        var usageBefore = await user.Client.GetStringAsync("/api/usage");
        var calls = ReplyRequests().Count();

        await (await SendAsync(user, chat.Id, "with someone else's file", theirs.Id))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, ProblemTypes.AttachmentGone, "was removed");
        var six = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            six.Add((await user.UploadedAsync(Encoding.UTF8.GetBytes($"file {i}\n"), $"f{i}.txt")).Id);
        }

        await (await SendAsync(user, chat.Id, "six files", [.. six]))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation, "at most 5 files");
        (await SendAsync(user, chat.Id, "first with mine", mine.Id)).EnsureSuccessStatusCode();
        await (await SendAsync(user, chat.Id, "again with mine", mine.Id))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, ProblemTypes.AttachmentGone, "already sent");

        var page = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        Assert.Equal(["first with mine"], page!.Items.Where(m => m.Role == MessageRole.User).Select(m => m.Content));
        Assert.Equal(calls + 1, ReplyRequests().Count()); // the model was asked only for the one that went
        Assert.NotEqual(usageBefore, await user.Client.GetStringAsync("/api/usage"));
        Assert.False((await other.Client.GetFromJsonAsync<AttachmentResponse>($"/api/attachments/{theirs.Id}", ApiJson.Options))!.Sent);
    }

    [Fact]
    public async Task ImagesForAModelThatCantSeeThemAreRefusedBeforeAnythingIsSent()
    {
        var user = await factory.RegisterAsync();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Parley.Data.AppDbContext>();
            var found = await db.Users.FindAsync(user.Session.User.Id);
            found!.IsPremium = true; // Premium's model here is configured without vision
            await db.SaveChangesAsync();
        }

        var chat = await user.CreateChatAsync();
        var image = await user.UploadedAsync(TestFiles.Image(10, 10), "photo.png");

        await (await SendAsync(user, chat.Id, "look", image.Id))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.ImagesNotSupported, "can't see images");

        Assert.False((await user.Client.GetFromJsonAsync<AttachmentResponse>($"/api/attachments/{image.Id}", ApiJson.Options))!.Sent);
        var page = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        Assert.Empty(page!.Items);
    }

    [Fact]
    public async Task ThePlansSayWhoseModelTakesImagesSoTheComposerCanTellBeforeSending()
    {
        var plans = await factory.CreateClient().GetFromJsonAsync<Parley.Features.Usage.PlansResponse>("/api/plans", ApiJson.Options);

        Assert.Equal([("Free", true), ("Premium", false)], plans!.Plans.Select(p => (p.Name, p.AcceptsImages)));
    }

    [Fact]
    public async Task DeletingAChatGivesItsFilesRoomBackAndRemovesThem()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var image = await user.UploadedAsync(TestFiles.Image(30, 30), "gone.png");
        (await SendAsync(user, chat.Id, "keep this", image.Id)).EnsureSuccessStatusCode();
        Assert.Equal(image.Size, (await user.StorageAsync()).UsedBytes);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/chats/{chat.Id}")).StatusCode);

        Assert.Equal(0, (await user.StorageAsync()).UsedBytes);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync(image.Url)).StatusCode);
        await factory.Services.GetRequiredService<AttachmentSweeper>().SweepAsync(CancellationToken.None);
        await using var file = await factory.Services.GetRequiredService<IFileStore>()
            .OpenReadAsync($"{user.Session.User.Id:N}/{image.Id:N}", CancellationToken.None);
        Assert.Null(file);
    }
}

/// <summary>Offline, the built-in assistant says what it got, so a user trying Parley sees files arrive.</summary>
public sealed class BuiltInAssistantAttachmentTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task ItDescribesADocumentsSizeAndFirstLinesAndAnImage()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var notes = await user.UploadedAsync("# Launch notes\n\nShip on Friday.\nTell support.\nFourth line\n"u8.ToArray(), "notes.md");
        var photo = await user.UploadedAsync(TestFiles.Image(20, 20), "photo.png");

        var response = await user.Client.PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = "", attachmentIds = new[] { notes.Id, photo.Id } });

        response.EnsureSuccessStatusCode();
        var reply = (await response.ReadAsync<SendMessageResponse>()).Reply.Content;
        Assert.StartsWith("I got these files:\n\n", reply, StringComparison.Ordinal);
        Assert.Contains("- **notes.md**: 58 characters, 5 lines. It starts:\n\n  ```text\n  # Launch notes\n  Ship on Friday.\n  Tell support.\n  ```\n", reply, StringComparison.Ordinal);
        Assert.Contains("- **photo.png**: an image (image/png,", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("Fourth line", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("I can't answer that one", reply, StringComparison.Ordinal); // files alone are answered by their list
    }
}
