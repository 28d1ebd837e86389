using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>
/// The UI's API types are generated from web/openapi.json, so that file must be exactly what the server serves.
/// Run scripts/update-api.sh after changing an endpoint or a DTO.
/// </summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentTests.Factory factory) : IClassFixture<OpenApiDocumentTests.Factory>
{
    /// <summary>With test mode on, so the document has every route (the UI's test checkout and portal pages use them).</summary>
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Settings["Billing:TestMode"] = "true";
    }

    [Fact]
    public async Task TheCommittedDocumentMatchesTheServer()
    {
        var served = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        served.AsObject().Remove("servers"); // the test server's address, not part of the contract
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = Path.Combine(Repository.Root, "web", "openapi.json");

        if (Environment.GetEnvironmentVariable("PARLEY_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.True(File.Exists(path), "web/openapi.json is missing: run scripts/update-api.sh");
        Assert.True(text == (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"),
            "web/openapi.json is stale: run scripts/update-api.sh and commit the result.");
    }

    [Fact]
    public async Task EveryOperationThatNeedsASignedInUserDeclaresTheBearerTokenAnd401()
    {
        // An attachment's file and thumbnail answer a signed link (for img tags) as well as the owner's token.
        string[] anonymous =
        [
            "Register", "Login", "Refresh", "Logout", "GetPlans", "StripeWebhook", "GetAttachmentContent", "GetAttachmentThumbnail",
            "GetAuthFeatures", "RequestPasswordReset", "ConfirmPasswordReset", "ConfirmEmail", "DownloadExport", "GetAvatar",
        ];
        foreach (var (id, operation) in Operations(await Document()))
        {
            var secured = operation["security"]?.AsArray().Any(r => r!.AsObject().ContainsKey("Bearer")) == true;
            Assert.True(secured != anonymous.Contains(id), $"{id}: security {(secured ? "declared" : "missing")}");
            if (secured)
            {
                Assert.True(operation["responses"]!.AsObject().ContainsKey("401"), $"{id} does not list 401");
            }
        }
    }

    [Fact]
    public async Task EveryOperationWithAJsonBodyListsTheProblemsABodyCanCause()
    {
        foreach (var (id, operation) in Operations(await Document()).Where(o => o.Operation["requestBody"] is not null))
        {
            foreach (var status in new[] { "400", "413", "415" })
            {
                var response = operation["responses"]![status];
                Assert.True(response?["content"]?["application/problem+json"] is not null, $"{id} does not list {status} as a problem");
            }
        }
    }

    [Fact]
    public async Task StreamingOperationsAreEventStreamsWithTheSchemaOfEachEvent()
    {
        var doc = await Document();
        string[] streaming = ["SendMessageStreaming", "RegenerateReply", "EditMessage", "FollowReply"];
        foreach (var (id, operation) in Operations(doc).Where(o => streaming.Contains(o.Id)))
        {
            var events = operation["responses"]!["200"]!["content"]!["text/event-stream"]!["x-events"]!.AsObject();
            Assert.Equal(["start", "delta", "usage", "done", "error"], events.Select(e => e.Key));
            foreach (var (_, schema) in events)
            {
                var name = ((string)schema!["$ref"]!).Split('/')[^1];
                Assert.NotNull(doc["components"]!["schemas"]![name]);
            }
        }
    }

    [Fact]
    public async Task RequestSchemasStateTheRulesTheServerEnforces()
    {
        var schemas = (await Document())["components"]!["schemas"]!;
        var email = schemas["RegisterRequest"]!["properties"]!["email"]!;
        Assert.Equal("email", (string?)email["format"]);
        Assert.Equal(254, (int?)email["maxLength"]);
        Assert.Equal(8, (int?)schemas["RegisterRequest"]!["properties"]!["password"]!["minLength"]);
        var content = schemas["SendMessageRequest"]!["properties"]!["content"]!;
        Assert.Equal(8000, (int?)content["maxLength"]); // ChatOptions.MaxMessageLength, the default
        Assert.Equal(@"\S", (string?)content["pattern"]); // not blank
        Assert.Equal(@"\S", (string?)schemas["RenameChatRequest"]!["properties"]!["title"]!["pattern"]);
        Assert.DoesNotContain("title", schemas["CreateChatRequest"]!["required"]?.AsArray().Select(n => (string?)n) ?? []);
        Assert.Equal(["type", "title", "status", "detail", "instance"],
            schemas["ProblemDetails"]!["required"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task TheDocumentDescribesTheErrorResponses()
    {
        var doc = await Document();

        var send = doc["paths"]!["/api/chats/{chatId}/messages"]!["post"]!["responses"]!.AsObject();
        Assert.True(send.ContainsKey("402"));
        Assert.True(send.ContainsKey("502"));
    }

    private async Task<JsonNode> Document() => JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;

    private static IEnumerable<(string Id, JsonObject Operation)> Operations(JsonNode doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => ((string)o.Value!["operationId"]!, o.Value!.AsObject())));
}
