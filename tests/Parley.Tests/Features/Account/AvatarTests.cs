using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Parley.Features.Account;
using Parley.Features.Auth;
using Parley.Tests.Features.Attachments;
using Parley.Tests.Infrastructure;
using Parley.Web;
using SkiaSharp;

namespace Parley.Tests.Features.Account;

public sealed class SqliteAvatarTests(SqliteFactory factory) : AvatarTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresAvatarTests(PostgresFactory factory) : AvatarTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;

/// <summary>A profile picture: cropped square, resized, metadata gone, at an address only its owner is given.</summary>
public abstract class AvatarTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private static async Task<HttpResponseMessage> PutAsync(TestUser user, byte[] image, string type = "image/jpeg")
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return await user.Client.PutAsync("/api/account/avatar", content);
    }

    private async Task<UserResponse> SignedInUserAsync(TestUser user) =>
        (await (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password }))
            .ReadAsync<SessionResponse>()).User;

    [Fact]
    public async Task APhoneShotBecomesASquareWithoutItsMetadataShownWithEverySession()
    {
        var user = await factory.RegisterAsync();
        const string secret = "GPS 48.8583N 2.2945E";

        var set = await PutAsync(user, TestFiles.PhoneJpeg(1200, 800, secret));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var url = (await set.ReadAsync<AvatarResponse>()).Url!;
        var served = await factory.CreateClient().GetAsync(url); // an img tag's request: no token
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/webp", served.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", served.Headers.CacheControl?.ToString());
        var bytes = await served.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain(secret, Encoding.Latin1.GetString(bytes));
        using var image = SKBitmap.Decode(bytes);
        Assert.Equal((256, 256), (image.Width, image.Height));
        Assert.Equal(url, (await SignedInUserAsync(user)).AvatarUrl);
    }

    [Fact]
    public async Task ANewPictureHasANewAddressAndTheOldOneIsGone()
    {
        var user = await factory.RegisterAsync();
        var first = (await (await PutAsync(user, TestFiles.Image(300, 300, SKEncodedImageFormat.Png), "image/png")).ReadAsync<AvatarResponse>()).Url!;

        var second = (await (await PutAsync(user, TestFiles.Image(64, 64))).ReadAsync<AvatarResponse>()).Url!;

        Assert.NotEqual(first, second);
        await (await factory.CreateClient().GetAsync(first)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var small = SKBitmap.Decode(await factory.CreateClient().GetByteArrayAsync(second));
        Assert.Equal((64, 64), (small.Width, small.Height)); // never enlarged

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync("/api/account/avatar")).StatusCode);
        await (await factory.CreateClient().GetAsync(second)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Null((await SignedInUserAsync(user)).AvatarUrl);
    }

    [Fact]
    public async Task WhatIsNotAPictureIsRefusedAndChangesNothing()
    {
        var user = await factory.RegisterAsync();
        var kept = (await (await PutAsync(user, TestFiles.Image(100, 100))).ReadAsync<AvatarResponse>()).Url;

        await (await PutAsync(user, TestFiles.Pdf("a page"), "image/png")).ShouldBeProblemAsync(
            HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "PNG, JPEG, WebP or GIF");
        await (await PutAsync(user, Encoding.UTF8.GetBytes("<svg onload=alert(1)>"), "image/svg+xml")).ShouldBeProblemAsync(
            HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "PNG, JPEG, WebP or GIF");
        await (await PutAsync(user, TestFiles.Image(100, 100)[..300])).ShouldBeProblemAsync(
            HttpStatusCode.UnprocessableEntity, ProblemTypes.FileUnreadable, "cut short");
        await (await PutAsync(user, TestFiles.PngClaiming(60_000, 60_000), "image/png")).ShouldBeProblemAsync(
            HttpStatusCode.UnprocessableEntity, ProblemTypes.FileUnreadable, "megapixels");
        await (await PutAsync(user, new byte[AvatarEndpoints.MaxUploadBytes + 1])).ShouldBeProblemAsync(
            HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(kept, (await SignedInUserAsync(user)).AvatarUrl);
    }

    [Fact]
    public async Task ADeletedAccountsPictureIsGone()
    {
        var user = await factory.RegisterAsync();
        var url = (await (await PutAsync(user, TestFiles.Image(100, 100))).ReadAsync<AvatarResponse>()).Url!;

        await user.Client.PostAsJsonAsync("/api/account/delete", new { password = user.Password });

        await (await factory.CreateClient().GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
