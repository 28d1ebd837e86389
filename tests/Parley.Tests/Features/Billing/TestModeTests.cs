using System.Net;
using System.Net.Http.Json;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Billing;

/// <summary>With Billing:TestMode, the built-in test mode runs the same checkout, webhook and portal code paths.</summary>
public sealed class TestModeTests(TestModeTests.Factory factory) : IClassFixture<TestModeTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Settings["Billing:TestMode"] = "true";
    }

    [Fact]
    public async Task UpgradingInTestModeGoesThroughCheckoutAndSignedWebhooks()
    {
        var user = await factory.RegisterAsync();

        var checkout = await (await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/c/7" })).ReadAsync<RedirectResponse>();
        var sessionId = checkout.Url[(checkout.Url.LastIndexOf('/') + 1)..];
        var page = await user.Client.GetFromJsonAsync<TestCheckoutResponse>($"/api/billing/test-mode/checkout/{sessionId}", ApiJson.Options);
        var paid = await (await user.Client.PostAsync($"/api/billing/test-mode/checkout/{sessionId}/pay", null)).ReadAsync<RedirectResponse>();
        var billing = await user.BillingAsync();

        Assert.StartsWith("/billing/test-checkout/cs_test_", checkout.Url);
        Assert.Equal(("open", user.Email), (page!.Status, page.Email));
        Assert.Contains($"/billing/success?session_id={sessionId}&return=%2Fc%2F7", paid.Url);
        Assert.Equal((Plan.Premium, "active", true, true), (billing.Plan, billing.SubscriptionStatus, billing.TestMode, billing.CanManage));
    }

    [Fact]
    public async Task TheTestPortalCancelsAtPeriodEndAndResumes()
    {
        var user = await factory.RegisterAsync();
        var checkout = await (await user.Client.PostAsJsonAsync("/api/billing/checkout", new { })).ReadAsync<RedirectResponse>();
        await user.Client.PostAsync($"/api/billing/test-mode/checkout/{checkout.Url[(checkout.Url.LastIndexOf('/') + 1)..]}/pay", null);
        var portal = await (await user.Client.PostAsync("/api/billing/portal", null)).ReadAsync<RedirectResponse>();
        var customer = portal.Url[(portal.Url.LastIndexOf('/') + 1)..];

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync($"/api/billing/test-mode/portal/{customer}/cancel", null)).StatusCode);
        var cancelled = await user.BillingAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync($"/api/billing/test-mode/portal/{customer}/resume", null)).StatusCode);
        var resumed = await user.BillingAsync();

        Assert.Equal((Plan.Premium, true), (cancelled.Plan, cancelled.CancelAtPeriodEnd));
        Assert.Equal((Plan.Premium, false), (resumed.Plan, resumed.CancelAtPeriodEnd));
    }

    [Fact]
    public async Task AnotherUsersTestCheckoutIsNotFound()
    {
        var owner = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        var checkout = await (await owner.Client.PostAsJsonAsync("/api/billing/checkout", new { })).ReadAsync<RedirectResponse>();
        var sessionId = checkout.Url[(checkout.Url.LastIndexOf('/') + 1)..];

        await (await other.Client.GetAsync($"/api/billing/test-mode/checkout/{sessionId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PostAsync($"/api/billing/test-mode/checkout/{sessionId}/pay", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(Plan.Free, (await owner.BillingAsync()).Plan);
    }

    [Fact]
    public async Task ForgedEventsAreRefusedInTestModeToo()
    {
        var response = await factory.CreateClient().PostAsync("/api/billing/webhook",
            new StringContent("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\"}"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RepairBillingRunsAsACommand()
    {
        Assert.Equal(0, await AdminCommands.RunAsync(factory.Services, ["repair-billing"]));
    }
}
