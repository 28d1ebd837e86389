using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Attachments;
using Parley.Tests.Infrastructure;
using Parley.Web;
using SkiaSharp;

namespace Parley.Tests.Features.Attachments;

public sealed class SqliteAttachmentTests(SqliteAttachmentTests.Factory factory)
    : AttachmentTests<SqliteAttachmentTests.Factory>(factory), IClassFixture<SqliteAttachmentTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => AttachmentTestSettings.Apply(Settings);
    }
}

public sealed class PostgresAttachmentTests(PostgresAttachmentTests.Factory factory)
    : AttachmentTests<PostgresAttachmentTests.Factory>(factory), IClassFixture<PostgresAttachmentTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => AttachmentTestSettings.Apply(Settings);
    }
}

internal static class AttachmentTestSettings
{
    public const int MaxFileBytes = 512 * 1024;
    public const int MaxPdfPages = 3;

    public static void Apply(Dictionary<string, string?> settings)
    {
        settings["Attachments:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Attachments:MaxPdfPages"] = MaxPdfPages.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Uploading, storing and serving attachments: types from content, metadata gone, limits, owners only.</summary>
public abstract class AttachmentTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    protected TFactory App => factory;

    private async Task<byte[]> DownloadAsync(string url)
    {
        var anonymous = factory.CreateClient(); // a signed link needs no token
        var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Whether the store (folder or bucket) holds a file under <paramref name="key"/>.</summary>
    private async Task<bool> StoredAsync(string key)
    {
        await using var file = await factory.Services.GetRequiredService<IFileStore>().OpenReadAsync(key, CancellationToken.None);
        return file is not null;
    }

    private T WithDb<T>(Func<AppDbContext, T> read)
    {
        using var scope = factory.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task APhotoIsStoredTurnedUprightWithItsMetadataGoneAndAThumbnail()
    {
        var user = await factory.RegisterAsync();
        const string secret = "GPS 48.85837 N 2.294481 E";
        var photo = TestFiles.PhoneJpeg(600, 400, secret);
        Assert.Contains(secret, Encoding.ASCII.GetString(photo), StringComparison.Ordinal);

        var attachment = await user.UploadedAsync(photo, "IMG_0001.JPG");

        Assert.Equal(AttachmentKind.Image, attachment.Kind);
        Assert.Equal("image/jpeg", attachment.ContentType);
        Assert.Equal("IMG_0001.JPG", attachment.FileName);
        Assert.Equal((400, 600), (attachment.Width, attachment.Height)); // turned as its EXIF said
        var stored = await DownloadAsync(attachment.Url);
        Assert.Equal(attachment.Size, stored.Length);
        Assert.DoesNotContain(secret, Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain("Exif", Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
        using (var decoded = SKBitmap.Decode(stored))
        {
            Assert.Equal((400, 600), (decoded.Width, decoded.Height));
            // The red band was on the left of the sensor's image; turned clockwise, it is along the top.
            Assert.True(decoded.GetPixel(200, 20).Red > 200, $"top is {decoded.GetPixel(200, 20)}");
            Assert.True(decoded.GetPixel(200, 580).Blue > 200, $"bottom is {decoded.GetPixel(200, 580)}");
        }

        using var thumbnail = SKBitmap.Decode(await DownloadAsync(attachment.ThumbnailUrl!));
        Assert.Equal((256, 384), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public async Task TheTypeComesFromTheContentNeverFromTheNameOrTheClient()
    {
        var user = await factory.RegisterAsync();

        var png = await user.UploadedAsync(TestFiles.Image(20, 10), "notes.txt");
        Assert.Equal(("image/png", "notes.png"), (png.ContentType, png.FileName));

        var refused = new (byte[] Content, string Name, string Says)[]
        {
            ([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0], "photo.jpg", "Programs and scripts"),
            ("#!/bin/sh\nrm -rf ~\n"u8.ToArray(), "notes.txt", "Programs and scripts"),
            ("<!DOCTYPE html><script>alert(1)</script>"u8.ToArray(), "readme.md", "Web pages"),
            ("\uFEFF  <svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray(), "logo.png", "Web pages"),
            ([(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0], "report.pdf", "This type of file"),
            ([0xC3, 0x28, 0xA0, 0xA1, (byte)'a', (byte)'b'], "latin1.txt", "This type of file"),
        };
        foreach (var (content, name, says) in refused)
        {
            var response = await user.UploadAsync(content, name, "image/jpeg");
            await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, says);
        }

        Assert.Equal(png.Size, (await user.StorageAsync()).UsedBytes); // the refused ones took nothing
    }

    [Fact]
    public async Task DocumentsAreStoredAsTheyCameAndAlwaysDownloadAsText()
    {
        var user = await factory.RegisterAsync();
        var markdown = "<p align=\"center\">Logo</p>\n\n# Notes\nnaïve café ✓\n"u8.ToArray();

        var notes = await user.UploadedAsync(markdown, "../../etc/NOTES.md");
        var pdf = await user.UploadedAsync(TestFiles.Pdf("Quarterly revenue grew", "Second page"), "report.pdf");

        Assert.Equal((AttachmentKind.Document, "text/plain", "NOTES.md"), (notes.Kind, notes.ContentType, notes.FileName));
        Assert.Null(notes.ThumbnailUrl);
        Assert.Equal(AttachmentKind.Document, pdf.Kind);
        var response = await factory.CreateClient().GetAsync(notes.Url);
        Assert.Equal(markdown, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("NOTES.md", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var text = WithDb(db => db.Attachments.Single(a => a.Id == pdf.Id).TextLength);
        Assert.True(text >= "Quarterly revenue grew Second page".Length, $"text length {text}");
    }

    [Fact]
    public async Task AFileOverTheLimitIsRefusedAsItStreamsAndTakesNothing()
    {
        var user = await factory.RegisterAsync();
        var big = new byte[AttachmentTestSettings.MaxFileBytes + 1];
        Array.Fill(big, (byte)'a');
        // Chunked, with no length up front: the limit holds while the body is read.
        var form = AttachmentCalls.Form(big, "big.txt");
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/attachments") { Content = new StreamContent(await form.ReadAsStreamAsync()) };
        chunked.Content.Headers.ContentType = form.Headers.ContentType;
        chunked.Headers.TransferEncodingChunked = true;

        var response = await user.Client.SendAsync(chunked);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge, "512 KB");
        Assert.Equal(0, (await user.StorageAsync()).UsedBytes);
        Assert.Equal(0, WithDb(db => db.Attachments.Count(a => a.UserId == user.Session.User.Id)));
    }

    [Fact]
    public async Task BrokenAndHostileFilesGetAClearProblemAndTakeNothing()
    {
        var user = await factory.RegisterAsync();
        var png = TestFiles.Image(300, 200);
        var cases = new (byte[] Content, string Name, string Says)[]
        {
            (png[..(png.Length / 2)], "cut.png", "cut short"),
            ([.. png[..16], .. new byte[200]], "garbage.png", "can't be read"),
            (TestFiles.PngClaiming(100_000, 100_000), "bomb.png", "100000 × 100000 pixels"),
            (TestFiles.Pdf("a")[..200], "cut.pdf", "can't be read"),
            (TestFiles.Pdf("one", "two", "three", "four"), "long.pdf", "4 pages"),
            (TestFiles.PdfBomb(DocumentText.MaxExpandedBytes + 1024 * 1024), "bomb.pdf", "expands to more than 256 MB"),
            ([], "empty.txt", "empty"),
        };
        foreach (var (content, name, says) in cases)
        {
            var response = await user.UploadAsync(content, name);
            Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.FileUnreadable, says);
        }

        Assert.Equal(0, (await user.StorageAsync()).UsedBytes);
    }

    [Fact]
    public async Task ParallelUploadsNeverTakeMoreRoomThanThePlanAllows()
    {
        var user = await factory.RegisterAsync();
        var limit = (await user.StorageAsync()).LimitBytes;
        var size = (int)(limit / 5) - 1; // five fit, a sixth does not
        Assert.True(size <= AttachmentTestSettings.MaxFileBytes || limit > 0, "the test needs files under the upload limit");
        var content = Encoding.ASCII.GetBytes(new string('x', Math.Min(size, AttachmentTestSettings.MaxFileBytes)));
        var fits = (int)(limit / content.Length);

        var responses = await Task.WhenAll(Enumerable.Range(0, fits + 4).Select(i => user.UploadAsync(content, $"f{i}.txt")));

        Assert.Equal(fits, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, ProblemTypes.StorageFull, "does not fit");
        }

        var storage = await user.StorageAsync();
        Assert.Equal(fits * (long)content.Length, storage.UsedBytes);
        Assert.True(storage.UsedBytes <= storage.LimitBytes);
    }

    [Fact]
    public async Task AnotherUsersAttachmentAndABadOrExpiredLinkAreNotFound()
    {
        var owner = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        var image = await owner.UploadedAsync(TestFiles.Image(40, 40), "mine.png");
        var anonymous = factory.CreateClient();
        var bare = $"/api/attachments/{image.Id}/content";
        var tampered = image.Url.Replace(image.Id.ToString(), (await owner.UploadedAsync(TestFiles.Image(8, 8), "b.png")).Id.ToString(), StringComparison.Ordinal);

        foreach (var (client, url) in new[]
                 {
                     (other.Client, $"/api/attachments/{image.Id}"), (other.Client, bare), (other.Client, $"/api/attachments/{image.Id}/thumbnail"),
                     (anonymous, bare), (anonymous, tampered), (anonymous, image.Url + "x"),
                 })
        {
            await (await client.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound, "no such attachment");
        }

        await (await other.Client.DeleteAsync($"/api/attachments/{image.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound, "no such attachment");
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync(bare)).StatusCode); // the owner's token is enough
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(image.Url)).StatusCode);

        factory.Time.Advance(AttachmentUrls.Lifetime + TimeSpan.FromMinutes(2));
        await (await anonymous.GetAsync(image.Url)).ShouldBeProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound, "expired");
        await owner.SignInAgainAsync(factory); // the clock moved past the access token's lifetime too
        var fresh = await (await owner.Client.GetAsync($"/api/attachments/{image.Id}")).ReadAsync<AttachmentResponse>();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(fresh.Url)).StatusCode);
    }

    [Fact]
    public async Task ARemovedDraftGivesItsRoomBackAndItsFilesGo()
    {
        var user = await factory.RegisterAsync();
        var image = await user.UploadedAsync(TestFiles.Image(50, 50), "draft.png");
        var keys = new[] { $"{user.Session.User.Id:N}/{image.Id:N}", $"{user.Session.User.Id:N}/{image.Id:N}.thumb" };
        foreach (var key in keys)
        {
            Assert.True(await StoredAsync(key), key); // the image and its thumbnail
        }

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/attachments/{image.Id}")).StatusCode);

        Assert.Equal(0, (await user.StorageAsync()).UsedBytes);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Client.GetAsync($"/api/attachments/{image.Id}")).StatusCode);
        await factory.Services.GetRequiredService<AttachmentSweeper>().SweepAsync(CancellationToken.None);
        foreach (var key in keys)
        {
            Assert.False(await StoredAsync(key), key);
        }

        Assert.False(WithDb(db => db.Attachments.Any(a => a.Id == image.Id)));
    }

    [Fact]
    public async Task DraftsNeverSentAndUploadsAbandonedMidwayAreSwept()
    {
        var user = await factory.RegisterAsync();
        var draft = await user.UploadedAsync(TestFiles.Image(30, 30), "old.png");
        // A process killed between taking the room and finishing the files leaves a row not stored, and maybe a file.
        var abandoned = new Attachment
        {
            UserId = user.Session.User.Id, Kind = AttachmentKind.Document, ContentType = FileTypes.Text, FileName = "half.txt", Size = 1000,
            Sha256 = new string('0', 64), CreatedAt = factory.Time.GetUtcNow().UtcDateTime,
        };
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Attachments.Add(abandoned);
            await db.SaveChangesAsync();
            await db.Users.Where(u => u.Id == user.Session.User.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.StorageBytes, u => u.StorageBytes + 1000));
            await scope.ServiceProvider.GetRequiredService<IFileStore>().PutAsync(AttachmentService.Key(abandoned), new MemoryStream(new byte[1000]), FileTypes.Text, CancellationToken.None);
        }

        var sweeper = factory.Services.GetRequiredService<AttachmentSweeper>();
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(draft.Size + 1000, (await user.StorageAsync()).UsedBytes); // nothing is old enough yet

        factory.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        Assert.True(await sweeper.SweepAsync(CancellationToken.None) >= 2); // other tests' drafts too: the clock is shared

        Assert.Equal(0, (await user.StorageAsync()).UsedBytes);
        Assert.False(await StoredAsync(AttachmentService.Key(abandoned)));
        Assert.False(await StoredAsync($"{user.Session.User.Id:N}/{draft.Id:N}"));
        Assert.Equal(0, WithDb(db => db.Attachments.Count(a => a.UserId == user.Session.User.Id)));
    }
}
