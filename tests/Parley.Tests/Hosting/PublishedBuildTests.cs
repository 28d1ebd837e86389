using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
        var publish = Directory.CreateTempSubdirectory("parley-publish-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("parley-cwd-").FullName;
        try
        {
            // The suite's build is already there (test.sh builds first): publishing it only lays the files out.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // Debug
            var (code, output) = await RunAsync("dotnet", ["publish", Path.Combine(Repository.Root, "src", "Parley"),
                "--no-build", "-c", configuration, "-o", publish, "-p:SkipWebBuild=true", "-nologo", "-v", "q"], Repository.Root);
            Assert.True(code == 0, $"dotnet publish failed: {output}");

            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(publish, "Parley.dll")])
            {
                WorkingDirectory = elsewhere,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                    ["SECRET_KEY"] = new string('k', 40),
                    ["DATABASE_URL"] = $"sqlite:///{Path.Combine(elsewhere, "parley.db")}",
                },
            };
            using var process = Process.Start(start)!;
            var log = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await WaitUntilReadyAsync(http, process, log);

                var page = await http.GetAsync("/");
                var deepLink = await http.GetAsync("/c/42");
                var plans = await http.GetAsync("/api/plans");
                var register = await http.PostAsync("/api/auth/register", System.Net.Http.Json.JsonContent.Create(
                    new { email = "operator@example.com", password = TestUsers.Password }));

                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Contains("<div id=\"root\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal("text/html", deepLink.Content.Headers.ContentType?.MediaType); // the SPA, not a 404 problem
                Assert.Equal(HttpStatusCode.OK, plans.StatusCode);
                Assert.Equal(HttpStatusCode.Created, register.StatusCode);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            var text = log.ToString();
            Assert.DoesNotContain("Executed DbCommand", text, StringComparison.Ordinal); // appsettings.json was read
            Assert.Contains("/api/auth/register", text, StringComparison.Ordinal); // a line per request
            Assert.DoesNotContain(TestUsers.Password, text, StringComparison.Ordinal); // and never a body
        }
        finally
        {
            Directory.Delete(publish, recursive: true);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, Process process, System.Text.StringBuilder log)
    {
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Parley exited with {process.ExitCode}: {log}");
            }

            try
            {
                if ((await http.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Parley never became ready: {log}");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string cwd)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
