using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Account;
using Parley.Features.Chats;
using Parley.Tests.Features.Attachments;
using Parley.Tests.Features.Chats;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Account;

public sealed class SqliteExportTests(SqliteFactory factory) : ExportTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresExportTests(PostgresFactory factory) : ExportTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;

/// <summary>
/// "Take your data with you": a zip of the profile, every chat with every branch (JSON) and as it reads (Markdown),
/// the files, and the usage, prepared in the background and downloaded by a signed link.
/// </summary>
public abstract class ExportTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private static async Task<ExportResponse> ReadyAsync(TestUser user)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var latest = (await user.Client.GetFromJsonAsync<ExportsResponse>("/api/account/exports", ApiJson.Options))!.Exports[0];
            if (latest.Status is ExportStatus.Ready or ExportStatus.Failed)
            {
                Assert.Equal(ExportStatus.Ready, latest.Status);
                return latest;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The export is still {latest.Status}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task TheZipHoldsTheProfileEveryBranchTheFilesAndTheUsage()
    {
        var user = await factory.RegisterAsync();
        await user.Client.PatchAsJsonAsync("/api/account/profile", new { displayName = "Grace Hopper", aboutYou = "I write compilers." });
        var chat = await user.CreateChatAsync();
        var notes = Encoding.UTF8.GetBytes("# Budget\nThe budget is 1200.");
        var file = await user.UploadedAsync(notes, "budget.md");
        var first = await (await user.SendWithFilesAsync(chat.Id, "What is in my notes?", file.Id)).ReadAsync<SendMessageResponse>();
        await user.StreamAsync($"/api/chats/{chat.Id}/messages/{first.UserMessage.Id}/edit", new { content = "what is 2 + 2", attachmentIds = Array.Empty<Guid>() });

        var started = await user.Client.PostAsync("/api/account/exports", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var again = await user.Client.PostAsync("/api/account/exports", null); // a second click while it is prepared
        Assert.Equal((await started.ReadAsync<ExportResponse>()).Id, (await again.ReadAsync<ExportResponse>()).Id);
        var ready = await ReadyAsync(user);

        var download = await factory.CreateClient().GetAsync(ready.DownloadUrl); // the link alone, as the browser follows it
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("parley-export-", download.Content.Headers.ContentDisposition?.FileNameStar);
        using var zip = new ZipArchive(await download.Content.ReadAsStreamAsync());
        string Text(string name) => new StreamReader(zip.GetEntry(name)!.Open()).ReadToEnd();

        var profile = JsonDocument.Parse(Text("profile.json")).RootElement;
        Assert.Equal(user.Email, profile.GetProperty("email").GetString());
        Assert.Equal("Grace Hopper", profile.GetProperty("displayName").GetString());
        Assert.Equal("I write compilers.", profile.GetProperty("customInstructions").GetProperty("whatParleyShouldKnow").GetString());

        var name = $"chats/{chat.Id}-{ExportWriter.Slug("What is in my notes?")}";
        var messages = JsonDocument.Parse(Text(name + ".json")).RootElement.GetProperty("messages").EnumerateArray().ToList();
        var questions = messages.Where(m => m.GetProperty("role").GetString() == "User").Select(m => m.GetProperty("content").GetString()).ToList();
        Assert.Equal(["What is in my notes?", "what is 2 + 2"], questions); // both branches
        var withFile = messages.Single(m => m.GetProperty("content").GetString() == "What is in my notes?");
        var path = withFile.GetProperty("files")[0].GetString()!;
        using (var stored = new MemoryStream())
        {
            zip.GetEntry(path)!.Open().CopyTo(stored);
            Assert.Equal(notes, stored.ToArray());
        }

        var markdown = Text(name + ".md");
        Assert.Contains("what is 2 + 2", markdown); // the branch shown last
        Assert.DoesNotContain("What is in my notes?", markdown.Split('\n', 3)[2]);
        Assert.Contains("Other branches", markdown);

        var ledger = JsonDocument.Parse(Text("usage.json")).RootElement.GetProperty("ledger");
        Assert.True(ledger.GetArrayLength() >= 2);
        Assert.NotNull(zip.GetEntry("README.txt"));
    }

    [Fact]
    public async Task OnlyItsOwnersLinkDownloadsIt()
    {
        var user = await factory.RegisterAsync();
        await user.Client.PostAsync("/api/account/exports", null);
        var ready = await ReadyAsync(user);
        var other = await factory.RegisterAsync();

        Assert.Empty((await other.Client.GetFromJsonAsync<ExportsResponse>("/api/account/exports", ApiJson.Options))!.Exports);
        var forged = ready.DownloadUrl!.Replace("signature=", "signature=x", StringComparison.Ordinal);
        await (await other.Client.GetAsync(forged)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.GetAsync($"/api/account/exports/{ready.Id}/download")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnExportWhoseWriterWasKilledIsTakenOverWhenItsLeaseRunsOut()
    {
        var user = await factory.RegisterAsync();
        var id = Guid.CreateVersion7();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // What a process killed while writing leaves: Building, its lease about to run out, no file.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = factory.Time.GetUtcNow().UtcDateTime;
            db.DataExports.Add(new DataExport
            {
                Id = id, UserId = user.Session.User.Id, Status = ExportStatus.Building, CreatedAt = now, Attempts = 1,
                LeaseOwner = "a-dead-instance", LeaseExpiresAt = now + TimeSpan.FromSeconds(5),
            });
            await db.SaveChangesAsync();
        }

        var worker = factory.Services.GetRequiredService<DataExports>();
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(ExportStatus.Building, await StatusAsync(id)); // still leased: nobody takes it over yet
        factory.Time.Advance(TimeSpan.FromSeconds(6));
        await user.SignInAgainAsync(factory);
        while (await worker.RunOnceAsync(CancellationToken.None))
        {
        }

        Assert.Equal(ExportStatus.Ready, await StatusAsync(id));
        Assert.Equal(id, (await ReadyAsync(user)).Id);
    }

    [Fact]
    public async Task ADeletedAccountsExportFilesGo()
    {
        var user = await factory.RegisterAsync();
        await user.Client.PostAsync("/api/account/exports", null);
        var ready = await ReadyAsync(user);
        var key = $"exports/{user.Session.User.Id:N}/{ready.Id:N}.zip";
        Assert.True(File.Exists(Path.Combine(factory.StoragePath, key)));

        Assert.Equal(HttpStatusCode.NoContent,
            (await user.Client.PostAsJsonAsync("/api/account/delete", new { password = user.Password })).StatusCode);
        await factory.Services.GetRequiredService<DataExports>().SweepAsync(CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(factory.StoragePath, key)));
        await (await factory.CreateClient().GetAsync(ready.DownloadUrl)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<ExportStatus> StatusAsync(Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().DataExports.Where(e => e.Id == id).Select(e => e.Status).SingleAsync();
    }
}
