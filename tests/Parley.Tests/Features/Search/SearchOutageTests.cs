using System.Net;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Search;

/// <summary>
/// Search with the database away for a while (PostgreSQL behind a link the test cuts): a clear 503 the panel turns
/// into "Search is not available right now", nothing half-done, and the same search answers once it is back.
/// </summary>
public sealed class SearchOutageTests(SearchOutageTests.Factory factory) : IClassFixture<SearchOutageTests.Factory>
{
    public sealed class Factory : PostgresFakeModelFactory
    {
        public TcpProxy DatabaseLink { get; } = TcpProxy.ToPostgres();

        protected override string DatabaseUrl => DatabaseLink.Route(base.DatabaseUrl);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await DatabaseLink.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASearchWhileTheDatabaseIsAwayIsA503AndAnswersWhenItIsBack()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var asked = await SearchCalls.SendAsync(user, chat.Id, "Why is the aurora green over the fjord?");

        factory.DatabaseLink.Cut();
        HttpResponseMessage during;
        try
        {
            during = await user.Client.GetAsync("/api/search?q=aurora");
        }
        finally
        {
            factory.DatabaseLink.Restore();
        }

        var problem = await during.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ProblemTypes.DatabaseUnavailable, problem.Type);
        var after = await SearchCalls.SearchAsync(user, "aurora");
        Assert.Contains(after.Messages, h => h.MessageId == asked);
    }
}
