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

    /// <summary>The next event, which must be of <paramref name="type"/>; its data.</summary>
    public static async Task<JsonElement> NextAsync(this IAsyncEnumerator<SseEvent> events, string type)
    {
        Assert.True(await events.MoveNextAsync(), $"the stream ended before a {type} event");
        Assert.Equal(type, events.Current.Type);
        return events.Current.Data;
    }

    /// <summary>
    /// The reply a stream ended with (the <c>done</c> event's stored reply, or the one an <c>error</c> kept), with its
    /// text as a client has it: <c>done</c> carries no text, so the deltas are its content, which must add up to the
    /// stored length.
    /// </summary>
    public static JsonElement StoredReply(this IReadOnlyList<SseEvent> events)
    {
        var last = events[^1];
        if (last.Type != "done")
        {
            return last.Data.GetProperty("reply");
        }

        var text = string.Concat(events.Where(e => e.Type == "delta").Select(e => e.Data.GetProperty("text").GetString()));
        var reply = System.Text.Json.Nodes.JsonNode.Parse(last.Data.GetProperty("reply").GetRawText())!.AsObject();
        Assert.Equal(reply["length"]!.GetValue<int>(), text.Length);
        Assert.False(reply.ContainsKey("content"), "a done event repeats the reply's text");
        reply["content"] = text;
        return JsonSerializer.SerializeToElement(reply);
    }

    /// <summary>Reads delta events until their text is as long as <paramref name="expected"/>; returns that text.</summary>
    public static async Task<string> TextUntilAsync(this IAsyncEnumerator<SseEvent> events, string expected)
    {
        var text = "";
        while (text.Length < expected.Length)
        {
            text += (await events.NextAsync("delta")).GetProperty("text").GetString();
        }

        return text;
    }
}
