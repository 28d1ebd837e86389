using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Chats;

public sealed class SendMessageTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task SendingStoresTheMessageAndTheReplyAndReturnsUsage()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.SendAsync(chat.Id, "what is 6 * 7?");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = await response.ReadAsync<SendMessageResponse>();
        Assert.Equal("what is 6 * 7?", sent.UserMessage.Content);
        Assert.Equal(MessageRole.Assistant, sent.Reply.Role);
        Assert.Equal("**6 * 7 = 42**", sent.Reply.Content);
        Assert.Equal(1, sent.Usage.Used);
        Assert.Equal(19, sent.Usage.Remaining);
        var history = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        Assert.Equal([sent.UserMessage.Id, sent.Reply.Id], history!.Items.Select(m => m.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  ")]
    public async Task EmptyOrWhitespaceMessagesAreRejected(string content)
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.SendAsync(chat.Id, content);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("empty", problem.Detail, StringComparison.Ordinal);
        await AssertNothingStoredAsync(user, chat.Id);
    }

    [Fact]
    public async Task MessagesOverTheMaximumAreRejectedWithTheLimit()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.SendAsync(chat.Id, new string('x', 8001));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("8,000", problem.Detail, StringComparison.Ordinal);
        await AssertNothingStoredAsync(user, chat.Id);
    }

    [Fact]
    public async Task AMessageOfExactlyTheMaximumIsAccepted()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.SendAsync(chat.Id, new string('x', 8000));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OversizedBodiesGet413WithTheLimit()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.SendAsync(chat.Id, new string('x', 200_000));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(ProblemTypes.PayloadTooLarge, problem.Type);
        Assert.Contains("64 KB", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkupInMessagesIsStoredAsPlainText()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        const string hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> '; DROP TABLE Messages; --";

        var sent = await (await user.SendAsync(chat.Id, hostile)).ReadAsync<SendMessageResponse>();

        Assert.Equal(hostile, sent.UserMessage.Content);
        var history = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        Assert.Equal(hostile, history!.Items[0].Content);
    }

    [Fact]
    public async Task AMissingBodyIsABadRequest()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.Client.PostAsync($"/api/chats/{chat.Id}/messages",
            new StringContent("[1,2,3]", System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownApiPathsAreProblemDetails404()
    {
        var user = await factory.RegisterAsync();

        var response = await user.Client.GetAsync("/api/nothing-here");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task AssertNothingStoredAsync(TestUser user, long chatId)
    {
        var history = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chatId}/messages", ApiJson.Options);
        Assert.Empty(history!.Items);
    }
}
