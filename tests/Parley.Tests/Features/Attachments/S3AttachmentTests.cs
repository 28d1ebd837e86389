using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Attachments;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Attachments;

/// <summary>The same, with files in an S3-compatible bucket (s3rver) rather than a folder: what several instances use.</summary>
public sealed class S3AttachmentTests(S3AttachmentTests.Factory factory)
    : AttachmentTests<S3AttachmentTests.Factory>(factory), IClassFixture<S3AttachmentTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => AttachmentTestSettings.Apply(Settings);

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            S3Server.Configure(Settings, await S3Server.CreateBucketAsync());
        }
    }

    [Fact]
    public async Task AnUploadWhileTheBucketIsAwayIsA503AndKeepsNothing()
    {
        var user = await App.RegisterAsync();
        using var away = App.WithWebHostBuilder(b => b.UseSetting("Storage:S3:ServiceUrl", "http://127.0.0.1:9"));
        var client = away.CreateClient();
        client.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;

        var response = await client.PostAsync("/api/attachments", AttachmentCalls.Form(TestFiles.Image(20, 20), "a.png"));

        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, ProblemTypes.StorageUnavailable, "nothing was kept");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, (await user.StorageAsync()).UsedBytes);
        await App.Services.GetRequiredService<AttachmentSweeper>().SweepAsync(CancellationToken.None);
        using var scope = App.Services.CreateScope();
        Assert.False(scope.ServiceProvider.GetRequiredService<AppDbContext>().Attachments.Any(a => a.UserId == user.Session.User.Id));
    }
}
