using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Billing;

/// <summary>Production with no Stripe key: the plans are shown, nobody can buy one, and nothing gives Premium away.</summary>
public abstract class NotConfiguredTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    [Fact]
    public async Task NoRouteLeadsToPremium()
    {
        var user = await factory.RegisterAsync();

        var checkout = await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/" });
        var portal = await user.Client.PostAsync("/api/billing/portal", null);
        var pay = await user.Client.PostAsync("/api/billing/test-mode/checkout/cs_test_anything/pay", null);
        var testPortal = await user.Client.PostAsync("/api/billing/test-mode/portal/cus_x/resume", null);

        Assert.Equal(ProblemTypes.PaymentsNotConfigured, (await checkout.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Type);
        Assert.Equal(ProblemTypes.PaymentsNotConfigured, (await portal.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Type);
        await pay.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await testPortal.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var billing = await user.BillingAsync();
        Assert.Equal((Plan.Free, false, false, false), (billing.Plan, billing.PaymentsAvailable, billing.TestMode, billing.CanManage));
    }

    [Fact]
    public async Task ASubscriptionLeftFromAnEarlierTestModeGivesNoPremium()
    {
        var user = await factory.RegisterAsync();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var account in new string?[] { null, BillingRuntime.BuiltInAccount })
            {
                db.Subscriptions.Add(new Subscription
                {
                    Id = $"sub_{Guid.NewGuid():N}", UserId = user.Session.User.Id, Status = "active", Account = account,
                    CurrentPeriodEnd = factory.Time.GetUtcNow().AddMonths(1).UtcDateTime, UpdatedAt = factory.Time.GetUtcNow().UtcDateTime,
                });
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal(Plan.Free, (await user.BillingAsync()).Plan);
        Assert.Equal(Plan.Free, (await user.Client.GetFromJsonAsync<UserResponse>("/api/auth/me", ApiJson.Options))!.Plan);
    }

    [Fact]
    public async Task StartUpSaysPaymentsAreNotConfigured()
    {
        await factory.RegisterAsync();

        Assert.Single(factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Payments are not configured", StringComparison.Ordinal));
    }
}

public sealed class ProductionSqliteFactory : SqliteFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public sealed class ProductionPostgresFactory : PostgresFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public sealed class SqliteNotConfiguredTests(ProductionSqliteFactory factory)
    : NotConfiguredTests<ProductionSqliteFactory>(factory), IClassFixture<ProductionSqliteFactory>;

public sealed class PostgresNotConfiguredTests(ProductionPostgresFactory factory)
    : NotConfiguredTests<ProductionPostgresFactory>(factory), IClassFixture<ProductionPostgresFactory>;

/// <summary>Test mode in Production only when asked for, and then loudly.</summary>
public sealed class ProductionTestModeTests(ProductionTestModeTests.Factory factory) : IClassFixture<ProductionTestModeTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Billing:TestMode"] = "true";
            Settings["Billing:PublicBaseUrl"] = "https://chat.example.com";
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public async Task ItWarnsAtStartUpAndTellsEveryUser()
    {
        var user = await factory.RegisterAsync();

        var billing = await user.BillingAsync();
        var checkout = await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/c/1" });

        Assert.True(billing.TestMode && billing.PaymentsAvailable);
        Assert.Equal(HttpStatusCode.OK, checkout.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("TEST MODE", StringComparison.Ordinal));
    }
}
