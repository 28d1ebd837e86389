using System.Net;
using System.Net.Http.Json;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Hosting;

/// <summary>
/// The published build as an operator runs it: Production, started from another folder (a service manager's working
/// directory), on its own port. It must serve the UI and the API, read its appsettings.json, and log a line per
/// request and no SQL.
/// </summary>
public sealed class PublishedBuildTests
{
    [Fact]
    public async Task ThePublishedBuildStartedFromAnotherFolderServesTheUiAndLogsLikeProduction()
    {
        var elsewhere = Directory.CreateTempSubdirectory("parley-cwd-").FullName;
        try
        {
            string log;
            await using (var parley = await ParleyProcess.StartAsync(elsewhere, new Dictionary<string, string>
            {
                ["DATABASE_URL"] = $"sqlite:///{Path.Combine(elsewhere, "parley.db")}",
            }))
            {
                var page = await parley.Client.GetAsync("/");
                var deepLink = await parley.Client.GetAsync("/c/42");
                var plans = await parley.Client.GetAsync("/api/plans");
                var register = await parley.Client.PostAsJsonAsync("/api/auth/register", new { email = "operator@example.com", password = TestUsers.Password });

                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Contains("<div id=\"root\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal("text/html", deepLink.Content.Headers.ContentType?.MediaType); // the SPA, not a 404 problem
                Assert.Equal(HttpStatusCode.OK, plans.StatusCode);
                Assert.Equal(HttpStatusCode.Created, register.StatusCode);
                // The console logger writes on its own thread: wait for the line rather than race it.
                for (var i = 0; i < 100 && !parley.Log.Contains("/api/auth/register", StringComparison.Ordinal); i++)
                {
                    await Task.Delay(50);
                }

                log = parley.Log;
            }

            Assert.DoesNotContain("Executed DbCommand", log, StringComparison.Ordinal); // appsettings.json was read
            Assert.Contains("/api/auth/register", log, StringComparison.Ordinal); // a line per request
            Assert.DoesNotContain(TestUsers.Password, log, StringComparison.Ordinal); // and never a body
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}
