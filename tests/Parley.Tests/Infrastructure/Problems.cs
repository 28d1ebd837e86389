using System.Net;
using System.Text.Json;

namespace Parley.Tests.Infrastructure;

public sealed record Problem(int Status, string? Type, string? Title, string? Detail, JsonElement Raw);

public static class Problems
{
    /// <summary>Asserts the response is an RFC 9457 problem with <paramref name="status"/> and returns it.</summary>
    public static async Task<Problem> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // no stack traces, ever
        string? Text(string name) => json.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return new Problem((int)status, Text("type"), Text("title"), Text("detail"), json);
    }

    /// <summary>Asserts a problem of <paramref name="status"/> and <paramref name="type"/> whose detail says <paramref name="says"/>.</summary>
    public static async Task<Problem> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string type, string says)
    {
        var problem = await response.ShouldBeProblemAsync(status);
        Assert.Equal(type, problem.Type);
        Assert.Contains(says, problem.Detail, StringComparison.Ordinal);
        return problem;
    }
}
