using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Parley.Tests.Infrastructure;

public sealed record SseEvent(string Type, JsonElement Data);

public static class ServerSentEvents
{
    /// <summary>Opens a streaming request; the caller reads events with <see cref="ReadEventsAsync"/>.</summary>
    public static async Task<HttpResponseMessage> OpenStreamAsync(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static async IAsyncEnumerable<SseEvent> ReadEventsAsync(
        this HttpResponseMessage response, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? type = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    yield return new SseEvent(type ?? "message", JsonDocument.Parse(string.Join('\n', data)).RootElement.Clone());
                }

                (type, data) = (null, []);
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line[5..].TrimStart());
            }
        }
    }
}
