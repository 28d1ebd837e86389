using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Features.Auth;
using Parley.Features.Chats;

namespace Parley.Tests.Infrastructure;

public sealed record TestUser(string Email, string Password, HttpClient Client, SessionResponse Session);

public static class TestUsers
{
    public const string Password = "correct horse battery staple";

    /// <summary>Registers a new user with a unique email and returns a client that sends their access token.</summary>
    public static async Task<TestUser> RegisterAsync(this ParleyFactory factory, string? email = null, string password = Password)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, password });
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>(ApiJson.Options))!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return new TestUser(email, password, client, session);
    }

    public static async Task<ChatResponse> CreateChatAsync(this TestUser user, string? title = null)
    {
        var response = await user.Client.PostAsJsonAsync("/api/chats", new { title });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChatResponse>(ApiJson.Options))!;
    }

    public static Task<HttpResponseMessage> SendAsync(this TestUser user, long chatId, string content) =>
        user.Client.PostAsJsonAsync($"/api/chats/{chatId}/messages", new { content });

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(ApiJson.Options))!;
}

public static class TestUserSessions
{
    /// <summary>Signs in again (after a test moved the clock past the access token's lifetime).</summary>
    public static async Task SignInAgainAsync(this TestUser user, ParleyFactory factory)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>(ApiJson.Options))!;
        user.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
    }
}
