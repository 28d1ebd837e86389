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
        var path = Path.Combine(RepositoryRoot(), "web", "openapi.json");

        if (Environment.GetEnvironmentVariable("PARLEY_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.True(File.Exists(path), "web/openapi.json is missing: run scripts/update-api.sh");
        Assert.True(text == (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"),
            "web/openapi.json is stale: run scripts/update-api.sh and commit the result.");
    }

    [Fact]
    public async Task TheDocumentDescribesTheErrorResponses()
    {
        var doc = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var send = doc["paths"]!["/api/chats/{chatId}/messages"]!["post"]!["responses"]!.AsObject();
        Assert.True(send.ContainsKey("402"));
        Assert.True(send.ContainsKey("502"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Parley.slnx).");
    }
}
