using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Usage;

/// <summary>Two app instances on one PostgreSQL, as behind a load balancer: the limit holds across them.</summary>
public sealed class MultiInstanceTests(PostgresFactory first) : IClassFixture<PostgresFactory>
{
    [Fact]
    public async Task ConcurrentSendsSplitAcrossInstancesAdmitExactlyTheRemainingQuota()
    {
        await using var second = new SecondInstanceFactory(first);
        var user = await first.RegisterAsync();
        var chat = await user.CreateChatAsync();
        for (var i = 0; i < 17; i++)
        {
            await user.SendAsync(chat.Id, $"warm-up {i}");
        }

        var other = second.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Session.AccessToken);
        var sends = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? user.Client : other)
            .PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = $"race {i}" }));
        var statuses = (await Task.WhenAll(sends)).Select(r => r.StatusCode).ToList();

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(37, statuses.Count(s => s == HttpStatusCode.PaymentRequired));
        var usage = await other.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal((20, 0), (usage!.Used, usage.Remaining));
    }

    [Fact]
    public async Task ARefreshTokenSpentOnOneInstanceCannotBeReplayedOnAnother()
    {
        await using var second = new SecondInstanceFactory(first);
        var user = await first.RegisterAsync();
        var login = await first.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false })
            .PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Parley.Features.Auth.AuthCookies.Refresh + "=", StringComparison.Ordinal)).Split(';')[0];

        async Task<HttpStatusCode> RefreshOn(ParleyFactory factory)
        {
            var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
            client.DefaultRequestHeaders.Add("Cookie", cookie);
            return (await client.PostAsync("/api/auth/refresh", null)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await RefreshOn(first));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefreshOn(second));
    }
}
