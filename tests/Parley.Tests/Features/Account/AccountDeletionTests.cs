using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Attachments;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Tests.Features.Attachments;
using Parley.Tests.Features.Billing;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Account;

public sealed class SqliteAccountDeletionTests(BillingFactory factory)
    : AccountDeletionTests<BillingFactory>(factory), IClassFixture<BillingFactory>;

public sealed class PostgresAccountDeletionTests(PostgresBillingFactory factory)
    : AccountDeletionTests<PostgresBillingFactory>(factory), IClassFixture<PostgresBillingFactory>;

/// <summary>
/// Deleting an account: the password confirms it, a paid subscription ends as chosen (through Stripe, before anything
/// is deleted), then every personal row and file is gone, usage and billing records stay without the person, the old
/// token gets 401 and the email can register again.
/// </summary>
public abstract class AccountDeletionTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IStripeFactory
{
    private FakeStripe Stripe => factory.StripeServer.Stripe;

    private static Task<HttpResponseMessage> DeleteAsync(TestUser user, string? password = null, string? subscription = null) =>
        user.Client.PostAsJsonAsync("/api/account/delete", new { password = password ?? user.Password, subscription });

    private async Task<T> ReadDbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>A user with a chat of two messages, a file sent in it and a draft file, so every kind of row exists.</summary>
    private async Task<(TestUser User, long ChatId)> UserWithDataAsync()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var file = await user.UploadedAsync(Encoding.UTF8.GetBytes("# Notes\nThe budget is 1200."), "notes.md");
        (await user.SendWithFilesAsync(chat.Id, "What is in my notes?", file.Id)).EnsureSuccessStatusCode();
        await user.UploadedAsync(TestFiles.Image(64, 48), "draft.png");
        return (user, chat.Id);
    }

    [Fact]
    public async Task DeletingErasesThePersonKeepsTheLedgerAndTheOldTokenGets401()
    {
        var (user, chatId) = await UserWithDataAsync();
        var bystander = await UserWithDataAsync();
        var id = user.Session.User.Id;
        var ledger = await ReadDbAsync(db => db.UsageEntries.CountAsync(e => e.UserId == id));
        Assert.True(ledger > 0);
        var files = await ReadDbAsync(db => db.Attachments.Where(a => a.UserId == id).Select(a => AttachmentService.Key(a)).ToListAsync());
        // Failed sign-ins are remembered per email; they are the person's too.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "not the password" })).StatusCode);

        var deleted = await DeleteAsync(user);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Contains(deleted.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{AuthCookies.Refresh}=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync($"/api/chats/{chatId}/messages")).StatusCode);

        var normalized = user.Email.ToLowerInvariant();
        var left = await ReadDbAsync(async db => new
        {
            Users = await db.Users.CountAsync(u => u.Id == id),
            Chats = await db.Chats.CountAsync(c => c.Id == chatId),
            Messages = await db.Messages.CountAsync(m => m.ChatId == chatId),
            Tokens = await db.RefreshTokens.CountAsync(t => t.UserId == id),
            Throttles = await db.LoginThrottles.CountAsync(t => t.NormalizedEmail == normalized),
            LiveFiles = await db.Attachments.CountAsync(a => a.UserId == id && a.DeletedAt == null),
            Linked = await db.UsageEntries.CountAsync(e => e.UserId == id),
            Unlinked = await db.UsageEntries.CountAsync(e => e.UserId == null),
        });
        Assert.Equal(new { Users = 0, Chats = 0, Messages = 0, Tokens = 0, Throttles = 0, LiveFiles = 0, Linked = 0 },
            new { left.Users, left.Chats, left.Messages, left.Tokens, left.Throttles, left.LiveFiles, left.Linked });
        Assert.True(left.Unlinked >= ledger); // kept for accounting, no longer anyone's
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password })).StatusCode);

        // The sweeper deletes the files, then their rows.
        Assert.All(files, key => Assert.True(FileExists(key), key));
        await factory.Services.GetRequiredService<AttachmentSweeper>().SweepAsync(CancellationToken.None);
        Assert.All(files, key => Assert.False(FileExists(key), key));
        Assert.Equal(0, await ReadDbAsync(db => db.Attachments.CountAsync(a => a.UserId == id)));

        // Someone else's account is untouched.
        Assert.Equal(HttpStatusCode.OK, (await bystander.User.Client.GetAsync($"/api/chats/{bystander.ChatId}/messages")).StatusCode);
        Assert.Equal(2, await ReadDbAsync(db => db.Attachments.CountAsync(a => a.UserId == bystander.User.Session.User.Id && a.DeletedAt == null)));

        // The email can register again: a new, empty account.
        var again = await factory.RegisterAsync(user.Email);
        Assert.NotEqual(id, again.Session.User.Id);
        Assert.Empty((await again.Client.GetFromJsonAsync<Parley.Features.Chats.ChatPage>("/api/chats", ApiJson.Options))!.Items);
    }

    private static string? Error(Problem problem, string field) => problem.Raw.GetProperty("errors").GetProperty(field)[0].GetString();

    private bool FileExists(string key) => File.Exists(Path.Combine(factory.StoragePath, key));

    [Fact]
    public async Task AWrongPasswordDeletesNothing()
    {
        var (user, chatId) = await UserWithDataAsync();

        var refused = await DeleteAsync(user, password: "not my password");

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("That is not your password. Nothing was deleted.", Error(problem, "password"));
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync($"/api/chats/{chatId}/messages")).StatusCode);
    }

    [Fact]
    public async Task APaidSubscriptionMustBeToldWhatHappensThenEndsNow()
    {
        var (user, subscription) = await SubscribedAsync();

        var unasked = await DeleteAsync(user);
        var problem = await unasked.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("choose whether it ends now or at the end of the period", Error(problem, "subscription"));
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(user, subscription: "Now")).StatusCode);

        Assert.Single(Stripe.Requests, r => r.Method == "DELETE" && r.Path == $"/v1/subscriptions/{subscription}");
        Assert.Equal("canceled", Stripe.Find(subscription)!["status"]!.GetValue<string>());
        // Kept for accounting without its user; Stripe's cancellation event still brings it up to date.
        var row = await EventuallyAsync(subscription, s => s.Status == "canceled");
        Assert.Null(row.UserId);
    }

    [Fact]
    public async Task AtPeriodEndTheSubscriptionIsNotRenewed()
    {
        var (user, subscription) = await SubscribedAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(user, subscription: "AtPeriodEnd")).StatusCode);

        var update = Stripe.Requests.Single(r => r.Method == "POST" && r.Path == $"/v1/subscriptions/{subscription}");
        Assert.Equal("true", update.Parameters["cancel_at_period_end"]);
        Assert.Equal("active", Stripe.Find(subscription)!["status"]!.GetValue<string>());
        var row = await EventuallyAsync(subscription, s => s.CancelAtPeriodEnd);
        Assert.Null(row.UserId);
    }

    [Fact]
    public async Task WhenStripeCannotBeReachedNothingIsDeleted()
    {
        var (user, subscription) = await SubscribedAsync();
        factory.StripeServer.Intercept = (_, _, _) => Task.FromResult<StripeResponse?>(null); // the connection drops
        try
        {
            var refused = await DeleteAsync(user, subscription: "Now");

            await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, ProblemTypes.PaymentsUnavailable, "Nothing was deleted");
            Assert.True(refused.Headers.Contains("Retry-After"));
        }
        finally
        {
            factory.StripeServer.Intercept = null;
        }

        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal("active", Stripe.Find(subscription)!["status"]!.GetValue<string>());
        Assert.Equal(Plan.Premium, (await user.BillingAsync()).Plan);

        // Trying again, with Stripe back, finishes the job.
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(user, subscription: "Now")).StatusCode);
        Assert.Equal("canceled", Stripe.Find(subscription)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOpenCheckoutPageCanNoLongerBePaid()
    {
        var user = await factory.RegisterAsync();
        var session = await user.StartCheckoutAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(user)).StatusCode);

        Assert.Equal("expired", Stripe.Find(session)!["status"]!.GetValue<string>());
    }

    private async Task<(TestUser User, string Subscription)> SubscribedAsync()
    {
        var user = await factory.RegisterAsync();
        var session = await user.StartCheckoutAsync();
        await Stripe.CompleteCheckoutAsync(session);
        Assert.Equal(Plan.Premium, (await user.BillingAsync()).Plan);
        return (user, Stripe.Find(session)!["subscription"]!.GetValue<string>());
    }

    /// <summary>Stripe's events arrive after its answer, as they do from Stripe: waits (up to 10 s) for our copy to show it.</summary>
    private async Task<Subscription> EventuallyAsync(string id, Func<Subscription, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var row = await ReadDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == id));
            if (done(row) || DateTime.UtcNow > deadline)
            {
                Assert.True(done(row), $"subscription {id} is {row.Status}, cancel at period end {row.CancelAtPeriodEnd}");
                return row;
            }

            await Task.Delay(50);
        }
    }
}
