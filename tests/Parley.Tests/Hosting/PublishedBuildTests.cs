using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
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
                await AssertServedCompressedAsync(parley.Client, await page.Content.ReadAsStringAsync());
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

    /// <summary>
    /// The app's script, as a browser gets it: the Brotli copy made at publish time to one that accepts br, gzip to
    /// one that only takes gzip, the file itself otherwise; each the same script, cached for good (its name has a hash).
    /// </summary>
    private static async Task AssertServedCompressedAsync(HttpClient client, string indexHtml)
    {
        var script = Regex.Match(indexHtml, "<script type=\"module\" crossorigin src=\"(?<src>/assets/[^\"]+\\.js)\"").Groups["src"].Value;
        Assert.NotEmpty(script);
        async Task<(string? Encoding, string? CacheControl, byte[] Body)> GetAsync(string? acceptEncoding)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, script);
            if (acceptEncoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            return (response.Content.Headers.ContentEncoding.SingleOrDefault(), response.Headers.CacheControl?.ToString(),
                await response.Content.ReadAsByteArrayAsync());
        }

        var plain = await GetAsync(null);
        var brotli = await GetAsync("gzip, deflate, br, zstd");
        var gzip = await GetAsync("gzip");

        Assert.Null(plain.Encoding);
        Assert.Equal("br", brotli.Encoding);
        Assert.Equal("gzip", gzip.Encoding);
        Assert.InRange(brotli.Body.Length, 1, plain.Body.Length / 3);
        Assert.Equal(plain.Body, Decompress(new BrotliStream(new MemoryStream(brotli.Body), CompressionMode.Decompress)));
        Assert.Equal(plain.Body, Decompress(new GZipStream(new MemoryStream(gzip.Body), CompressionMode.Decompress)));
        Assert.All([plain, brotli, gzip], r => Assert.Equal("public, max-age=31536000, immutable", r.CacheControl));
    }

    private static byte[] Decompress(Stream compressed)
    {
        using var output = new MemoryStream();
        using (compressed)
        {
            compressed.CopyTo(output);
        }

        return output.ToArray();
    }
}
