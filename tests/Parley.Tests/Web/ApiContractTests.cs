using System.Text;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>
/// The checker every API response of the suite goes through (<see cref="ContractRecorder"/>) must catch what breaks
/// the document, or the suite would vouch for a document nobody checks.
/// </summary>
public sealed class ApiContractTests
{
    private static readonly ApiContract Contract = ApiContract.Committed;

    private static IReadOnlyList<string> Check(string method, string path, int status, string? type, string body) =>
        Contract.Check(method, path, status, type, Encoding.UTF8.GetBytes(body));

    private const string Problem = """{"type":"https://parley.chat/problems/not-found","title":"Chat not found","status":404,"detail":"This chat does not exist or was deleted.","instance":"/api/chats/1"}""";

    [Fact]
    public void ADocumentedProblemPasses() =>
        Assert.Empty(Check("GET", "/api/chats/1", 404, "application/problem+json", Problem));

    [Fact]
    public void AStatusTheDocumentDoesNotListIsCaught() =>
        Assert.Contains(Check("GET", "/api/chats/1", 418, "application/problem+json", Problem), v => v.Contains("418", StringComparison.Ordinal));

    [Fact]
    public void AContentTypeTheDocumentDoesNotListIsCaught() =>
        Assert.Contains(Check("GET", "/api/chats/1", 404, "text/html", "<h1>Not found</h1>"), v => v.Contains("text/html", StringComparison.Ordinal));

    [Fact]
    public void ABodyMissingARequiredFieldIsCaught() =>
        Assert.Contains(Check("GET", "/api/chats/1", 200, "application/json", """{"id":1,"title":"Hi","createdAt":"2026-01-01T00:00:00Z"}"""),
            v => v.Contains("updatedAt", StringComparison.Ordinal));

    [Fact]
    public void AFieldOfTheWrongTypeIsCaught() =>
        Assert.NotEmpty(Check("GET", "/api/chats/1", 200, "application/json", """{"id":"1","title":"Hi","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}"""));

    [Fact]
    public void AProblemWithoutItsTypeIsCaught() =>
        Assert.NotEmpty(Check("GET", "/api/chats/1", 404, "application/problem+json", """{"title":"Not found","status":404,"detail":"x","instance":"/api/chats/1"}"""));

    [Fact]
    public void AStreamIsCheckedEventByEvent()
    {
        const string delta = "event: delta\ndata: {\"text\":\"Hel\"}\n\n";
        Assert.Empty(Check("GET", "/api/chats/1/messages/2/stream", 200, "text/event-stream", delta));
        Assert.Contains(Check("GET", "/api/chats/1/messages/2/stream", 200, "text/event-stream", delta + "event: surprise\ndata: {}\n\n"),
            v => v.Contains("surprise", StringComparison.Ordinal));
        Assert.NotEmpty(Check("GET", "/api/chats/1/messages/2/stream", 200, "text/event-stream", "event: delta\ndata: {\"text\":5}\n\n"));
        // An event cut off by a client that stopped reading is not judged.
        Assert.Empty(Check("GET", "/api/chats/1/messages/2/stream", 200, "text/event-stream", delta + "event: done\ndata: {\"rep"));
    }

    [Fact]
    public void AddressesThatAreNotOperationsAreLeftAlone()
    {
        Assert.Empty(Check("GET", "/api/nothing-here", 404, "application/problem+json", Problem));
        // {chatId} is an integer: "abc" goes to the API's 404, not to GetChat.
        Assert.Empty(Check("GET", "/api/chats/abc", 418, "text/plain", "x"));
    }

    [Fact]
    public void ALiteralSegmentWinsOverAParameter() =>
        // POST /api/billing/portal is OpenBillingPortal, which lists 503; no parameter route may claim it.
        Assert.Empty(Check("POST", "/api/billing/portal", 503, "application/problem+json",
            """{"type":"https://parley.chat/problems/payments-not-configured","title":"t","status":503,"detail":"d","instance":"/api/billing/portal"}"""));
}
