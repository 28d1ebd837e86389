using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Data;
using Parley.Features.Attachments;
using Parley.Features.Auth;
using Parley.Web;

namespace Parley.Features.Account;

/// <summary>
/// A user's profile picture: 256 × 256 WebP, re-encoded from what they uploaded (cropped to the centre square, its
/// metadata gone). A few KB, so it lives in the database with the user and goes with them. It is served at an
/// unguessable address (<see cref="Key"/>, new with every picture) that only its owner is given, so an <c>img</c>
/// tag can show it and the browser can keep it for good.
/// </summary>
public sealed class Avatar
{
    public Guid UserId { get; init; }
    public required string Key { get; init; }
    public required byte[] Content { get; init; }
    public DateTime UpdatedAt { get; init; }
}

internal sealed class AvatarConfiguration : IEntityTypeConfiguration<Avatar>
{
    public void Configure(EntityTypeBuilder<Avatar> builder)
    {
        builder.HasKey(a => a.UserId);
        builder.Property(a => a.Key).HasMaxLength(32);
        builder.HasIndex(a => a.Key).IsUnique();
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record AvatarResponse(string? Url);

public static class AvatarEndpoints
{
    public const int MaxUploadBytes = 5 * 1024 * 1024;

    public static string Url(string key) => $"/api/avatars/{key}";

    public static RouteGroupBuilder MapAvatar(this RouteGroupBuilder group, IEndpointRouteBuilder app)
    {
        group.MapPut("/avatar", Upload).WithName("SetAvatar")
            .WithSummary("Set your picture: the image itself as the body (PNG, JPEG, WebP or GIF, at most 5 MB); it is cropped square and resized.")
            // Any Content-Type: what the body is, is read from its bytes, never from the header.
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/avatar", Remove).WithName("RemoveAvatar").WithSummary("Remove your picture (your initial is shown again).");
        app.MapGet("/api/avatars/{key}", Serve).WithTags("Account").WithName("GetAvatar").AllowAnonymous()
            .WithSummary("A picture, at the address only its owner is given.")
            .Produces<Stream>(StatusCodes.Status200OK, "image/webp").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<AvatarResponse>, ProblemHttpResult>> Upload(
        HttpContext http, AppDbContext db, ImageProcessor images, TimeProvider time, CancellationToken ct)
    {
        using var body = new MemoryStream();
        try
        {
            await http.Request.Body.CopyToAsync(body, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Picture too large",
                "Pictures can be at most 5 MB. Choose a smaller one.");
        }

        FileType? type;
        try
        {
            type = FileTypes.Detect(body.GetBuffer().AsSpan(0, (int)Math.Min(body.Length, FileTypes.HeadLength)));
        }
        catch (FileRefusedException)
        {
            type = null; // a program, a web page: not a picture either
        }

        if (type is not { Kind: AttachmentKind.Image })
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Not a picture",
                "Choose a PNG, JPEG, WebP or GIF image for your picture.");
        }

        byte[] avatar;
        try
        {
            body.Position = 0;
            avatar = await images.AvatarAsync(body, type.ContentType, ct);
        }
        catch (FileRefusedException ex)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.FileUnreadable, "Picture unreadable", ex.Message);
        }

        var userId = http.User.UserId();
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow().UtcDateTime;
        await db.RetryingAsync(async token =>
        {
            await using var tx = await db.BeginWriteAsync(token);
            await db.Avatars.Where(a => a.UserId == userId).ExecuteDeleteAsync(token);
            db.Avatars.Add(new Avatar { UserId = userId, Key = key, Content = avatar, UpdatedAt = now });
            await db.SaveChangesAsync(token);
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.AvatarKey, key), token);
            await tx.CommitAsync(token);
        }, ct);
        db.ChangeTracker.Clear();
        return TypedResults.Ok(new AvatarResponse(Url(key)));
    }

    private static async Task<NoContent> Remove(AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        await db.Avatars.Where(a => a.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.AvatarKey, (string?)null), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Serve(string key, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var content = key.Length == 32
            ? await db.Avatars.AsNoTracking().Where(a => a.Key == key).Select(a => a.Content).SingleOrDefaultAsync(ct)
            : null;
        if (content is null)
        {
            return Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Picture not found", "There is no such picture; it may have been replaced.");
        }

        // A new picture gets a new address, so this one never changes: the browser keeps it.
        http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return TypedResults.File(content, "image/webp");
    }

    private static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: type);
}
