using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Parley.Features.Attachments;
using Parley.Features.Chats;
using Parley.Tests.Features.Chats;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Attachments;

public sealed class SqliteAttachmentEditTests(SqliteAttachmentSendTests.Factory factory)
    : AttachmentEditTests<SqliteAttachmentSendTests.Factory>(factory), IClassFixture<SqliteAttachmentSendTests.Factory>;

public sealed class PostgresAttachmentEditTests(PostgresAttachmentSendTests.Factory factory)
    : AttachmentEditTests<PostgresAttachmentSendTests.Factory>(factory), IClassFixture<PostgresAttachmentSendTests.Factory>;

/// <summary>Editing a message with files into a new branch: the edit keeps the files it is told to, the original keeps all.</summary>
public abstract class AttachmentEditTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IFakeModelFactory
{
    private static Task<List<SseEvent>> EditAsync(TestUser user, long chatId, long messageId, string content, Guid[]? keep) =>
        user.StreamAsync($"/api/chats/{chatId}/messages/{messageId}/edit", keep is null ? new { content } : new { content, attachmentIds = keep });

    private static Task<HttpResponseMessage> OpenEditAsync(TestUser user, long chatId, long messageId, object body) =>
        user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chatId}/messages/{messageId}/edit", body);

    private static string[] FileNamesOf(JsonElement message) => message.GetProperty("attachments") is { ValueKind: JsonValueKind.Array } files
        ? [.. files.EnumerateArray().Select(a => a.GetProperty("fileName").GetString()!)]
        : []; // a message without files lists none

    private static bool HasImage(JsonObject request) =>
        AttachmentCalls.LastUserParts(request).Any(p => p!["type"]!.GetValue<string>() == "image_url");

    private async Task<(TestUser User, ChatResponse Chat, AttachmentResponse Image, AttachmentResponse Notes, SendMessageResponse Sent)> SentWithTwoFilesAsync()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var image = await user.UploadedAsync(TestFiles.Image(40, 20), "chart.png");
        var notes = await user.UploadedAsync("Ship on Friday.\n"u8.ToArray(), "notes.md");
        var response = await user.SendWithFilesAsync(chat.Id, "what do these say?", image.Id, notes.Id);
        response.EnsureSuccessStatusCode();
        return (user, chat, image, notes, await response.ReadAsync<SendMessageResponse>());
    }

    [Fact]
    public async Task AnEditKeepsTheFilesItNamesAndTheOriginalKeepsAllOfThem()
    {
        var (user, chat, image, notes, sent) = await SentWithTwoFilesAsync();

        var events = await EditAsync(user, chat.Id, sent.UserMessage.Id, "only the notes, please", [notes.Id]);

        Assert.Equal("done", events[^1].Type);
        var question = events[0].Data.GetProperty("userMessage");
        Assert.Equal(["notes.md"], FileNamesOf(question));
        var request = factory.Model.LastRequestFor("only the notes, please");
        Assert.Equal("<file name=\"notes.md\">\nShip on Friday.\n\n</file>\n\nonly the notes, please", FakeOpenAIServer.LastUserMessage(request));
        Assert.False(HasImage(request));

        // The kept file is the same bytes, under a link of its own; the original branch still shows both files.
        var kept = question.GetProperty("attachments")[0];
        Assert.NotEqual(notes.Id, kept.GetProperty("id").GetGuid());
        Assert.Equal(await factory.CreateClient().GetByteArrayAsync(notes.Url),
            await factory.CreateClient().GetByteArrayAsync(kept.GetProperty("url").GetString()));
        await user.Client.PutAsJsonAsync($"/api/chats/{chat.Id}/branch", new { messageId = sent.UserMessage.Id });
        var original = (await user.BranchAsync(chat.Id))[0];
        Assert.Equal(["chart.png", "notes.md"], original.Attachments!.Select(a => a.FileName));

        // Shared, not stored twice: the room taken is still the two files'.
        Assert.Equal(image.Size + notes.Size, (await user.StorageAsync()).UsedBytes);
    }

    [Fact]
    public async Task AnEditKeepsEveryFileUnlessToldAndCanDropThemAll()
    {
        var (user, chat, _, _, sent) = await SentWithTwoFilesAsync();

        var keepingAll = await EditAsync(user, chat.Id, sent.UserMessage.Id, "the same files, reworded", null);
        var droppingAll = await EditAsync(user, chat.Id, sent.UserMessage.Id, "no files this time", []);

        Assert.Equal(["chart.png", "notes.md"], FileNamesOf(keepingAll[0].Data.GetProperty("userMessage")));
        Assert.True(HasImage(factory.Model.LastRequestFor("the same files, reworded")));
        Assert.Empty(FileNamesOf(droppingAll[0].Data.GetProperty("userMessage")));
        Assert.Equal("no files this time", FakeOpenAIServer.LastUserMessage(factory.Model.LastRequestFor("no files this time")));

        // Files alone may be the edit: emptied text with a kept file is still a question.
        var filesAlone = await EditAsync(user, chat.Id, sent.UserMessage.Id, "", [sent.UserMessage.Attachments![1].Id]);
        Assert.Equal("done", filesAlone[^1].Type);
        Assert.Equal(4, (await user.BranchAsync(chat.Id))[0].Siblings.Count);
    }

    [Fact]
    public async Task AnEditOfAnEditSharesTheFirstFilesAndDeletingTheChatFreesThemOnce()
    {
        var (user, chat, image, notes, sent) = await SentWithTwoFilesAsync();
        var edit = await EditAsync(user, chat.Id, sent.UserMessage.Id, "edit one", null);
        var editId = edit[0].Data.GetProperty("userMessage").GetProperty("id").GetInt64();
        var second = await EditAsync(user, chat.Id, editId, "edit two", null);
        var secondImageUrl = second[0].Data.GetProperty("userMessage").GetProperty("attachments")[0].GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync(secondImageUrl)).StatusCode);
        Assert.Equal(image.Size + notes.Size, (await user.StorageAsync()).UsedBytes);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/chats/{chat.Id}")).StatusCode);

        Assert.Equal(0, (await user.StorageAsync()).UsedBytes); // given back once, not three times
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync(secondImageUrl)).StatusCode);
        await factory.Services.GetRequiredService<AttachmentSweeper>().SweepAsync(CancellationToken.None);
        var store = factory.Services.GetRequiredService<IFileStore>();
        await using var file = await store.OpenReadAsync($"{user.Session.User.Id:N}/{image.Id:N}", CancellationToken.None);
        Assert.Null(file);
    }

    [Fact]
    public async Task AnEditCantTakeAnotherMessagesFileOrBeLeftEmptyAndSendsNothingThen()
    {
        var (user, chat, _, _, sent) = await SentWithTwoFilesAsync();
        var draft = await user.UploadedAsync("a draft\n"u8.ToArray(), "draft.txt");
        var plain = await (await user.SendAsync(chat.Id, "no files here")).ReadAsync<SendMessageResponse>();
        var calls = factory.Model.ReplyRequests().Count();
        var usage = await user.Client.GetStringAsync("/api/usage");

        await (await OpenEditAsync(user, chat.Id, sent.UserMessage.Id, new { content = "with a draft", attachmentIds = new[] { draft.Id } }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, ProblemTypes.AttachmentGone, "Only the files of the message being edited");
        await (await OpenEditAsync(user, chat.Id, sent.UserMessage.Id, new { content = " ", attachmentIds = Array.Empty<Guid>() }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation, "cannot be empty");
        await (await OpenEditAsync(user, chat.Id, plain.UserMessage.Id, new { content = "" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation, "keep a file");

        Assert.Equal(calls, factory.Model.ReplyRequests().Count());
        Assert.Equal(usage, await user.Client.GetStringAsync("/api/usage"));
        Assert.All(await user.BranchAsync(chat.Id), m => Assert.Single(m.Siblings));
        Assert.False((await user.Client.GetFromJsonAsync<AttachmentResponse>($"/api/attachments/{draft.Id}", ApiJson.Options))!.Sent);
    }

    [Fact]
    public async Task KeepingAnImageForAModelThatCantSeeItIsRefused()
    {
        var (user, chat, image, notes, sent) = await SentWithTwoFilesAsync();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Parley.Data.AppDbContext>();
            (await db.Users.FindAsync(user.Session.User.Id))!.IsPremium = true; // Premium's model here can't see images
            await db.SaveChangesAsync();
        }

        await (await OpenEditAsync(user, chat.Id, sent.UserMessage.Id, new { content = "look again", attachmentIds = new[] { image.Id } }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.ImagesNotSupported, "Remove them from the edit");

        var notesOnly = await EditAsync(user, chat.Id, sent.UserMessage.Id, "read the notes", [notes.Id]);
        Assert.Equal("done", notesOnly[^1].Type);
    }
}
