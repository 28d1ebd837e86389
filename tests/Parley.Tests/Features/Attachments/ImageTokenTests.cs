using System.Net;
using System.Net.Http.Json;
using Parley.Features.Bot;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Attachments;

public sealed class SqliteImageTokenTests(SqliteImageTokenTests.Factory factory)
    : ImageTokenTests<SqliteImageTokenTests.Factory>(factory), IClassFixture<SqliteImageTokenTests.Factory>
{
    public sealed class Factory : FakeModelFactory
    {
        public Factory() => ImageTokenSettings.Apply(Settings);
    }
}

public sealed class PostgresImageTokenTests(PostgresImageTokenTests.Factory factory)
    : ImageTokenTests<PostgresImageTokenTests.Factory>(factory), IClassFixture<PostgresImageTokenTests.Factory>
{
    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => ImageTokenSettings.Apply(Settings);
    }
}

internal static class ImageTokenSettings
{
    /// <summary>What OpenAI counts for a 1024 × 1024 image (four 512-pixel tiles at 768 × 768, plus 85): 765.</summary>
    public static readonly int SquareImageTokens = TurnFiles.ImageTokens(1024, 1024);

    public static void Apply(Dictionary<string, string?> settings)
    {
        settings["Bot:OpenAI:Vision"] = "true";
        settings["Usage:FreeMessageLimit"] = "100";
        settings["Usage:FreeTokenLimit"] = SquareImageTokens.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// An image costs tokens as the model counts them: where the provider reports no usage, the estimate Parley meters
/// includes each image's tiles, so images alone can spend a plan's token limit.
/// </summary>
public abstract class ImageTokenTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IFakeModelFactory
{
    private async Task<(TestUser User, SendMessageResponse Sent)> AskAsync(bool withImage)
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync("titled, so no title is asked for"); // only the reply is metered
        Guid[] files = withImage ? [(await user.UploadedAsync(TestFiles.Image(1024, 1024), "square.png")).Id] : [];
        var response = await user.SendWithFilesAsync(chat.Id, "what is this?", files);
        response.EnsureSuccessStatusCode();
        return (user, await response.ReadAsync<SendMessageResponse>());
    }

    [Fact]
    public async Task AnImagesEstimatedTokensAreMeteredAndSpendTheTokenLimit()
    {
        Assert.Equal(765, ImageTokenSettings.SquareImageTokens);
        factory.Model.Behaviour = _ => FakeAnswer.Text("A blue square.") with { OmitUsage = true };

        var (withImage, seen) = await AskAsync(withImage: true);
        var (textOnly, read) = await AskAsync(withImage: false);

        // The same question and answer; the image adds exactly its tiles to the estimate metered (none was reported).
        Assert.Equal(ImageTokenSettings.SquareImageTokens, seen.Reply.InputTokens - read.Reply.InputTokens);
        Assert.Equal(read.Reply.OutputTokens, seen.Reply.OutputTokens);
        var imageUsage = await withImage.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        var textUsage = await textOnly.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(ImageTokenSettings.SquareImageTokens, imageUsage!.TokensUsed - textUsage!.TokensUsed);

        // The limit is the image's cost: its sender has spent it, the other has not.
        await (await withImage.SendAsync(seen.Chat.Id, "and now?")).ShouldBeProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal(HttpStatusCode.OK, (await textOnly.SendAsync(read.Chat.Id, "and now?")).StatusCode);
    }
}
