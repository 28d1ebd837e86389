using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Chats;

/// <summary>Thumbs up or down on a reply: stored per message, shown with the history, changed or taken back.</summary>
public abstract class FeedbackTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private static string Url(long chatId, long messageId) => $"/api/chats/{chatId}/messages/{messageId}/feedback";

    [Fact]
    public async Task ARatingIsStoredShownWithTheHistoryChangedAndTakenBack()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var sent = await (await user.SendAsync(chat.Id, "hello")).ReadAsync<SendMessageResponse>();
        Assert.Null(sent.Reply.Feedback);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PutAsJsonAsync(Url(chat.Id, sent.Reply.Id), new { rating = "Up" })).StatusCode);
        Assert.Equal(MessageFeedback.Up, (await user.BranchAsync(chat.Id)).Single(m => m.Id == sent.Reply.Id).Feedback);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PutAsJsonAsync(Url(chat.Id, sent.Reply.Id), new { rating = "Down" })).StatusCode);
        Assert.Equal(MessageFeedback.Down, (await user.BranchAsync(chat.Id)).Single(m => m.Id == sent.Reply.Id).Feedback);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PutAsJsonAsync(Url(chat.Id, sent.Reply.Id), new { rating = (string?)null })).StatusCode);
        Assert.Null((await user.BranchAsync(chat.Id)).Single(m => m.Id == sent.Reply.Id).Feedback);
    }

    [Fact]
    public async Task OnlyYourOwnRepliesCanBeRated()
    {
        var owner = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        var chat = await owner.CreateChatAsync();
        var sent = await (await owner.SendAsync(chat.Id, "hello")).ReadAsync<SendMessageResponse>();

        var someoneElses = await other.Client.PutAsJsonAsync(Url(chat.Id, sent.Reply.Id), new { rating = "Down" });
        var aQuestion = await owner.Client.PutAsJsonAsync(Url(chat.Id, sent.UserMessage.Id), new { rating = "Up" });
        var wrongChat = await owner.Client.PutAsJsonAsync(Url((await owner.CreateChatAsync()).Id, sent.Reply.Id), new { rating = "Up" });

        Assert.Equal(ProblemTypes.NotFound, (await someoneElses.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Type);
        await aQuestion.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await wrongChat.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Null((await owner.BranchAsync(chat.Id)).Single(m => m.Id == sent.Reply.Id).Feedback);
    }

    [Fact]
    public async Task ARatingThatIsNotUpOrDownIsRefusedWithAProblem()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var sent = await (await user.SendAsync(chat.Id, "hello")).ReadAsync<SendMessageResponse>();

        var response = await user.Client.PutAsync(Url(chat.Id, sent.Reply.Id),
            new StringContent("""{"rating":"Sideways"}""", System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class SqliteFeedbackTests(SqliteFactory factory) : FeedbackTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresFeedbackTests(PostgresFactory factory) : FeedbackTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;
