using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Features.Admin;
using Parley.Features.Auth;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Admin;

public sealed class SqliteAdminTests(SqliteAdminTests.Factory factory) : AdminTests<SqliteAdminTests.Factory>(factory), IClassFixture<SqliteAdminTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Settings["Admin:Emails"] = AdminTests<Factory>.ListedAdmin;
    }
}

public sealed class PostgresAdminTests(PostgresAdminTests.Factory factory)
    : AdminTests<PostgresAdminTests.Factory>(factory), IClassFixture<PostgresAdminTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => Settings["Admin:Emails"] = AdminTests<Factory>.ListedAdmin;
    }
}

/// <summary>
/// The admin area's foundation: who is an admin (ADMIN_EMAILS, set-role), every admin endpoint closed to everyone
/// else, and the users table's actions, each in the audit log.
/// </summary>
public abstract class AdminTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    public const string ListedAdmin = "Boss@Example.com, second-admin@example.com";

    private async Task<TestUser> AdminAsync() =>
        await factory.RegisterAsync($"boss-{Guid.NewGuid():N}@example.com") is var user &&
        await AdminCommands.RunAsync(factory.Services, ["set-role", user.Email, "admin"]) == 0 ? user : throw new InvalidOperationException();

    /// <summary>Every /api/admin operation in the served OpenAPI document, with a made-up user id where one is asked for.</summary>
    private async Task<List<(string Method, string Path)>> AdminOperationsAsync()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        return [.. document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/admin", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(o => (o.Key.ToUpperInvariant(), p.Key.Replace("{userId}", Guid.NewGuid().ToString(), StringComparison.Ordinal))))];
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "GET" ? null : JsonContent.Create(new { premium = true, disabled = false }) };

    [Fact]
    public async Task EveryAdminEndpointAnswers403ToAUserAnd401ToNoOne()
    {
        var operations = await AdminOperationsAsync();
        Assert.True(operations.Count >= 5, $"only {operations.Count} admin operations found");
        var user = await factory.RegisterAsync();
        var anonymous = factory.CreateClient();

        foreach (var (method, path) in operations)
        {
            await (await user.Client.SendAsync(Request(method, path))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden, "operators");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Request(method, path))).StatusCode);
        }
    }

    [Fact]
    public async Task AdminsComeFromTheListOrTheRoleAndADemotionTakesEffectAtOnce()
    {
        var listed = await factory.RegisterAsync("boss@example.com".Replace("boss", $"boss-{Guid.NewGuid():N}", StringComparison.Ordinal));
        Assert.False(listed.Session.User.IsAdmin); // not on the list: the list names boss@example.com exactly
        var boss = await factory.RegisterAsync("second-admin@example.com");
        Assert.True(boss.Session.User.IsAdmin);
        Assert.Equal(HttpStatusCode.OK, (await boss.Client.GetAsync("/api/admin/users")).StatusCode);

        var promoted = await AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await promoted.Client.GetAsync("/api/admin/users")).StatusCode);
        Assert.Equal(0, await AdminCommands.RunAsync(factory.Services, ["set-role", promoted.Email, "user"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await promoted.Client.GetAsync("/api/admin/users")).StatusCode); // same token, now refused
        Assert.Equal(2, await AdminCommands.RunAsync(factory.Services, ["set-role", promoted.Email, "owner"]));
        Assert.Equal(1, await AdminCommands.RunAsync(factory.Services, ["set-role", "nobody@example.com", "admin"]));
    }

    [Fact]
    public async Task TheUsersTableFindsByEmailAndShowsPlanAndUsage()
    {
        var admin = await AdminAsync();
        var marker = Guid.NewGuid().ToString("N")[..10];
        var user = await factory.RegisterAsync($"findme-{marker}@example.com");
        var chat = await user.CreateChatAsync();
        (await user.SendAsync(chat.Id, "one message")).EnsureSuccessStatusCode();

        var found = (await admin.Client.GetFromJsonAsync<AdminUsersResponse>($"/api/admin/users?q=FINDME-{marker}", ApiJson.Options))!;

        var row = Assert.Single(found.Users);
        Assert.Equal((user.Email, Plan.Free, 1, false), (row.Email, row.Plan, row.MessagesUsed, row.Disabled));
        Assert.NotNull(row.LastActiveAt);
    }

    [Fact]
    public async Task GrantingPremiumDisablingAndResettingUsageWorkAndAreLogged()
    {
        var admin = await AdminAsync();
        var user = await factory.RegisterAsync();
        var id = user.Session.User.Id;
        var chat = await user.CreateChatAsync();
        (await user.SendAsync(chat.Id, "count me")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsJsonAsync($"/api/admin/users/{id}/premium", new { premium = true })).StatusCode);
        Assert.Equal(Plan.Premium, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Plan);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsync($"/api/admin/users/{id}/reset-usage", null)).StatusCode);
        Assert.Equal(0, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Used);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsJsonAsync($"/api/admin/users/{id}/disabled", new { disabled = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync("/api/auth/me")).StatusCode); // at once
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        await login.ShouldBeProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.AccountDisabled, "disabled");
        var wrong = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "not the password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode); // without the password, nothing is said

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostAsJsonAsync($"/api/admin/users/{id}/disabled", new { disabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password })).StatusCode);

        var log = (await admin.Client.GetFromJsonAsync<AdminActionsResponse>("/api/admin/audit", ApiJson.Options))!.Actions
            .Where(a => a.TargetEmail == user.Email).Select(a => (a.AdminEmail, a.Action)).Reverse().ToList();
        Assert.Equal(
            [(admin.Email, "grant-premium"), (admin.Email, "reset-usage"), (admin.Email, "disable"), (admin.Email, "enable")], log);
    }

    [Fact]
    public async Task AnAdminCannotDisableThemselvesAndAMissingUserIs404()
    {
        var admin = await AdminAsync();

        await (await admin.Client.PostAsJsonAsync($"/api/admin/users/{admin.Session.User.Id}/disabled", new { disabled = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await admin.Client.PostAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/premium", new { premium = true }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
